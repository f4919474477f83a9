"""In Chromium, under the real CSP: an owner makes a key on the settings page, and the
Swagger UI renders from local assets without a policy violation."""

from tests.browser.conftest import acme, browser, chromium_path, db_call, live_server_url  # noqa: F401


def test_make_a_key_then_read_the_docs(acme):  # noqa: F811
    page, base, errors = acme
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    # given the settings page
    page.goto(f"{base}/settings/integrations/")
    page.fill("#id_name", "Zapier")
    page.check("input[name=scope][value=read_write]")
    # when a key is made
    page.click("button:has-text('Create key')")
    # then it is shown once, with a copy button, and listed
    secret = page.inner_text("#new-api-key")
    assert secret.startswith("tsk_")
    assert page.is_visible("button[data-copy='#new-api-key']")
    assert "Zapier" in page.inner_text("table")
    status, body = page.evaluate(
        """async (secret) => {
            const r = await fetch("/api/v1/contacts/", {headers: {Authorization: "Bearer " + secret}, credentials: "omit"});
            return [r.status, await r.json()];
        }""",
        secret,
    )
    assert status == 200 and body == {"next": None, "results": []}
    # and the interactive docs render under the CSP
    page.goto(f"{base}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "Tessera CRM API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag-section", timeout=15000)
    assert violations == [] and errors == []
