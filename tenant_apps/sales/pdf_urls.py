"""URLs of document PDFs and bulk exports, included under /sales/ (config/urls_app.py)."""

from django.urls import path

from . import pdf_views

urlpatterns = [
    path("documents/<int:pk>/pdf/", pdf_views.document_pdf_view, name="sales_document_pdf"),
    path("exports/", pdf_views.export_start, name="sales_export_start"),
    path("exports/<int:pk>/", pdf_views.export_detail, name="sales_export_detail"),
    path("exports/<int:pk>/status/", pdf_views.export_status_view, name="sales_export_status"),
    path("exports/<int:pk>/download/", pdf_views.export_download, name="sales_export_download"),
]
