import pytest


@pytest.mark.django_db
def test_x(client):
    r = client.get("/offline/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = r.content.decode()
    import re

    print(re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S))
    client.cookies["django_language"] = "en"
    r = client.get("/offline/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    print(re.findall(r"<h1[^>]*>(.*?)</h1>", r.content.decode(), re.S))
