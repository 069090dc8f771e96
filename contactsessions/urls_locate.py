from django.urls import path

from contactsessions.views import locate

locate_patterns = [
    path("postcode/", locate.postcode, name="postcode"),
    path("locate/", locate.locate, name="locate"),
]

urlpatterns = locate_patterns
