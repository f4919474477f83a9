from django.urls import path

from . import views

urlpatterns = [
    path("", views.ticket_list_view, name="ticket_list"),
    path("new/", views.ticket_create_view, name="ticket_create"),
    path("<int:pk>/", views.ticket_detail_view, name="ticket_detail"),
    path("<int:pk>/reply/", views.ticket_reply_view, name="ticket_reply"),
    path("<int:pk>/update/", views.ticket_update_view, name="ticket_update"),
    path("attachments/<int:pk>/", views.ticket_attachment_view, name="ticket_attachment"),
]
