"""The REST API (/api/v1/): authentication, permissions, errors and paging shared by every
app's API views, and the CRM resources. See docs/api.md."""
