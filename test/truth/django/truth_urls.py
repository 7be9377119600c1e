"""URLs of the truth app: one view that answers 200 on every method, on a few paths."""
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def ok(request, **kwargs):
    # Exempt from CSRF so POST/PUT/DELETE reach the view and answer 200 like GET.
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [
    path("", ok),
    path("api/items", ok),
    path("api/items/<int:pk>", ok),
    path("public/health", ok),
]
