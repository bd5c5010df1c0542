"""The cooperation-menu import reads through the catalogue's guarded reader: a zip bomb is refused
with a message naming the bound it passed, and nothing is imported."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from icihub.catalogue.tests.test_import_bombs import RATIO, bomb_xlsx
from icihub.programmes import transfer
from icihub.programmes.models import MenuActivity


def upload(client, name: str, content: bytes):
    return client.post("/en/menu/import/", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
class TestMenuImportBombs:
    def test_a_million_row_bomb_is_refused_and_nothing_is_imported(self, personas, client_for):
        response = upload(client_for(personas["registrar"]), "bomb.xlsx", bomb_xlsx(1_000_000))
        assert response.status_code == 200
        assert RATIO in response.content.decode()
        assert not MenuActivity.objects.exists()

    def test_the_menu_limit_holds_while_streaming(self, personas, client_for, monkeypatch):
        from icihub.catalogue import transfer as catalogue_transfer

        monkeypatch.setattr(catalogue_transfer, "MAX_COMPRESSION_RATIO", 10**9)
        monkeypatch.setattr(transfer, "MAX_IMPORT_ROWS", 20)
        response = upload(client_for(personas["registrar"]), "bomb.xlsx", bomb_xlsx(1_000_000))
        assert "The file has more than 20 rows; split it." in response.content.decode()
        assert not MenuActivity.objects.exists()

    def test_a_csv_with_too_many_columns_is_refused(self, personas, client_for):
        response = upload(client_for(personas["registrar"]), "menu.csv", b",".join([b"code"] * 1000))
        assert "The file has more than 100 columns." in response.content.decode()
