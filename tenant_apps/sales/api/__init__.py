"""The sales REST API (products, tax rates, documents, payments, settings) under /api/v1/."""
