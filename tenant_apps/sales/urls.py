from django.urls import path

from . import product_views, views

urlpatterns = [
    path("", views.document_list, name="sales_document_list"),
    path("new/<str:kind>/", views.document_new, name="sales_document_new"),
    path("documents/<int:pk>/", views.document_detail, name="sales_document_detail"),
    path("documents/<int:pk>/edit/", views.document_edit, name="sales_document_edit"),
    path("documents/<int:pk>/delete/", views.document_delete_view, name="sales_document_delete"),
    path("documents/<int:pk>/issue/", views.document_issue, name="sales_document_issue"),
    path("documents/<int:pk>/mark-sent/", views.document_mark_sent, name="sales_document_mark_sent"),
    path("documents/<int:pk>/decide/", views.document_decide, name="sales_document_decide"),
    path("documents/<int:pk>/convert/", views.document_convert, name="sales_document_convert"),
    path("documents/<int:pk>/void/", views.document_void, name="sales_document_void"),
    path("documents/<int:pk>/credit-note/", views.document_credit_note, name="sales_document_credit_note"),
    path("documents/<int:pk>/duplicate/", views.document_duplicate_view, name="sales_document_duplicate"),
    path("documents/<int:pk>/payments/", views.payment_record_view, name="sales_payment_record"),
    path("documents/<int:pk>/refunds/", views.payment_refund_view, name="sales_payment_refund"),
    path("deals/<int:pk>/offer/", views.deal_offer, name="sales_deal_offer"),
    path("lookup/products/", views.product_lookup, name="sales_product_lookup"),
    path("lookup/contacts/", views.contact_lookup, name="sales_contact_lookup"),
    path("products/", product_views.product_list_view, name="sales_product_list"),
    path("products/new/", product_views.product_new, name="sales_product_new"),
    path("products/<int:pk>/", product_views.product_edit, name="sales_product_edit"),
    path("products/<int:pk>/archive/", product_views.product_archive_view, name="sales_product_archive"),
]
