from django.urls import path

from . import send_views

urlpatterns = [
    path("<int:pk>/send/", send_views.document_send_view, name="sales_document_send"),
]
