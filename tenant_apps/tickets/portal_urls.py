"""Ticket pages of the customer portal, mounted at /support/ by config/urls_portal.py."""

from django.urls import path

from . import portal_views as views

urlpatterns = [
    path("", views.portal_ticket_list_view, name="portal_ticket_list"),
    path("new/", views.portal_ticket_open_view, name="portal_ticket_open"),
    path("<int:pk>/", views.portal_ticket_detail_view, name="portal_ticket_detail"),
    path("<int:pk>/reply/", views.portal_ticket_reply_view, name="portal_ticket_reply"),
    path("<int:pk>/close/", views.portal_ticket_close_view, name="portal_ticket_close"),
    path("files/<int:pk>/", views.portal_ticket_attachment_view, name="portal_ticket_attachment"),
]
