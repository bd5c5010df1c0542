"""Log-in, log-out, Argon2 hashing, and the rules on a point of contact's scope."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from icihub.accounts.models import Role, User
from icihub.testing import PASSWORD


@pytest.mark.django_db
def test_a_user_logs_in_and_out(personas, client):
    response = client.post("/en/accounts/login/", {"username": "poc-kwt", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/en/").content.decode()
    assert "national point of contact" in page and "KWT" in page
    client.post("/en/accounts/logout/")
    assert "Log in" in client.get("/en/").content.decode()


@pytest.mark.django_db
def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(personas, client):
    response = client.post("/en/accounts/login/", {"username": "poc-kwt", "password": "nope"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_a_deactivated_user_sees_only_the_public_catalogue(personas, client_for):
    from icihub.testing import make_course

    course = make_course(releasable_to_public=False, releasable_to_frameworks=["ICI"])
    user = personas["poc_kwt"]
    client = client_for(user)
    assert client.get(f"/en/courses/{course.code}/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(f"/en/courses/{course.code}/").status_code == 404


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings):
    from icihub import settings as icihub_settings

    settings.PASSWORD_HASHERS = icihub_settings.PASSWORD_HASHERS  # undo the fast test hasher
    assert make_password("correct horse").startswith("argon2$argon2id$")
    user = User.objects.create_user("hashed", password="correct horse battery")
    assert user.password.startswith("argon2$") and user.check_password("correct horse battery")


@pytest.mark.django_db
def test_a_point_of_contact_is_scoped_to_exactly_one_nation_or_organisation(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("nobody", role=Role.POINT_OF_CONTACT)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(
            "both",
            role=Role.POINT_OF_CONTACT,
            nation=personas["poc_kwt"].nation,
            organisation=personas["poc_gcc"].organisation,
        )


@pytest.mark.django_db
def test_createsuperuser_makes_a_centre_administrator():
    assert User.objects.create_superuser("root", password=PASSWORD).role == Role.CENTRE_ADMIN


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "ICIHUB_ENV": "production", "ICIHUB_SECRET_KEY": "", "ICIHUB_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--settings=icihub.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ICIHUB_SECRET_KEY must be set when ICIHUB_ENV=production" in result.stderr
