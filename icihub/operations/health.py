"""`/healthz`: the process is alive and answering. No database, no session, no template, so it also
serves as the bare view the benchmarks measure everything else against (bench/scale)."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
