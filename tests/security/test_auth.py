"""Accounts: sign-up, login, logout, sessions that expire, API tokens, Argon2, login rate limits."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from app.auth.deps import COOKIE
from app.auth.tables import Account, AuthSession
from app.main import create_app
from tests.security.conftest import PASSWORD, signup


def test_signup_me_logout(accounts_settings):
    with TestClient(create_app(accounts_settings)) as c:
        assert c.get("/api/auth/me").status_code == 401
        assert c.get("/api/interviews").status_code == 401
        uid = signup(c, "Ada@Example.com ")
        cookie = c.cookies.get(COOKIE)
        assert cookie and len(cookie) >= 40
        me = c.get("/api/auth/me").json()
        assert me == {"mode": "accounts", "user": {"id": uid, "email": "ada@example.com",
                                                   "created_at": me["user"]["created_at"]}}
        assert c.post("/api/interviews", json={"round": "coding", "level": "mid"}).status_code == 201
        assert c.post("/api/auth/logout").status_code == 204
        assert c.get("/api/auth/me").status_code == 401
        # the old cookie is dead server-side too, not just cleared in this browser
        c.cookies.set(COOKIE, cookie)
        assert c.get("/api/auth/me").status_code == 401


def test_cookie_flags(accounts_settings):
    with TestClient(create_app(accounts_settings)) as c:
        res = c.post("/api/auth/signup", json={"email": "flags@example.com", "password": PASSWORD})
        header = res.headers["set-cookie"].lower()
        assert "httponly" in header and "samesite=lax" in header and "path=/" in header
        assert "secure" not in header  # plain http here; `auto` sets it behind https
    with TestClient(create_app(accounts_settings.model_copy(update={"cookie_secure": "always"}))) as c:
        res = c.post("/api/auth/signup", json={"email": "flags2@example.com", "password": PASSWORD})
        assert "secure" in res.headers["set-cookie"].lower()


def test_passwords_are_stored_only_as_argon2_hashes(accounts_settings):
    app = create_app(accounts_settings)
    with TestClient(app) as c:
        signup(c, "hash@example.com", "a secret nobody knows")
        with Session(app.state.engine) as db:
            account = db.exec(select(Account)).one()
            assert account.password_hash.startswith("$argon2id$")
            dump = "\n".join(str(row) for table in ("account", "auth_session", "user")
                             for row in db.exec(text(f'SELECT * FROM "{table}"')).all())
        assert "a secret nobody knows" not in dump


def test_bad_signups(accounts_settings):
    with TestClient(create_app(accounts_settings)) as c:
        assert c.post("/api/auth/signup", json={"email": "not-an-email", "password": PASSWORD}).status_code == 422
        short = c.post("/api/auth/signup", json={"email": "x@example.com", "password": "short"})
        assert short.status_code == 422 and short.json()["detail"][0]["loc"] == ["body", "password"]
        signup(c, "x@example.com")
        again = c.post("/api/auth/signup", json={"email": "X@example.com", "password": PASSWORD})
        assert again.status_code == 409


def test_login_and_wrong_password(accounts_settings):
    app = create_app(accounts_settings)
    with TestClient(app) as c:
        uid = signup(c, "lo@example.com")
        other = TestClient(app)
        for email, password in (("lo@example.com", "nope nope"), ("nobody@example.com", PASSWORD)):
            assert other.post("/api/auth/login", json={"email": email, "password": password}).status_code == 401
        res = other.post("/api/auth/login", json={"email": "LO@example.com", "password": PASSWORD})
        assert res.status_code == 200 and res.json()["id"] == uid
        assert other.get("/api/auth/me").json()["user"]["id"] == uid


def test_the_11th_failed_login_gets_429_even_with_the_right_password(accounts_settings):
    app = create_app(accounts_settings)
    with TestClient(app) as c:
        signup(c, "rl@example.com")
        other = TestClient(app)
        codes = [other.post("/api/auth/login", json={"email": "rl@example.com", "password": f"wrong {i}"}).status_code
                 for i in range(10)]
        assert codes == [401] * 10
        res = other.post("/api/auth/login", json={"email": "rl@example.com", "password": PASSWORD})
        assert res.status_code == 429 and int(res.headers["retry-after"]) > 0


def test_failed_logins_are_limited_per_address_too(accounts_settings):
    with TestClient(create_app(accounts_settings)) as c:
        codes = [c.post("/api/auth/login", json={"email": f"u{i}@example.com", "password": PASSWORD}).status_code
                 for i in range(11)]
        assert codes == [401] * 10 + [429]


def _age_session(app, **delta: float) -> None:
    with Session(app.state.engine) as db:
        row = db.exec(select(AuthSession)).one()
        if "idle_hours" in delta:
            row.last_seen_at -= timedelta(hours=delta["idle_hours"])
        if "past_expiry_s" in delta:
            row.expires_at -= timedelta(days=30)
        db.add(row)
        db.commit()


def test_sessions_expire_when_idle(accounts_settings):
    app = create_app(accounts_settings)
    with TestClient(app) as c:
        signup(c, "idle@example.com")
        _age_session(app, idle_hours=accounts_settings.session_idle_hours - 0.5)
        assert c.get("/api/auth/me").status_code == 200  # used again within the idle time: still valid
        _age_session(app, idle_hours=accounts_settings.session_idle_hours + 1)
        assert c.get("/api/auth/me").status_code == 401
        with Session(app.state.engine) as db:
            assert db.exec(select(AuthSession)).all() == []  # deleted, not just refused


def test_sessions_expire_absolutely(accounts_settings):
    app = create_app(accounts_settings)
    with TestClient(app) as c:
        signup(c, "abs@example.com")
        _age_session(app, past_expiry_s=1)
        assert c.get("/api/auth/me").status_code == 401


def test_api_tokens(accounts_settings):
    app = create_app(accounts_settings)
    with TestClient(app) as c:
        signup(c, "tok@example.com")
        made = c.post("/api/auth/tokens", json={"name": "my script"})
        assert made.status_code == 201
        token, token_id = made.json()["token"], made.json()["id"]
        assert token.startswith("viva_")
        listed = c.get("/api/auth/tokens").json()
        assert [t["id"] for t in listed] == [token_id] and "token" not in listed[0]
        script = TestClient(app)
        auth = {"Authorization": f"Bearer {token}"}
        assert script.post("/api/interviews", json={"round": "coding", "level": "mid"}, headers=auth).status_code == 201
        assert script.get("/api/interviews", headers=auth).json()["items"]
        assert script.get("/api/interviews", headers={"Authorization": "Bearer viva_wrong"}).status_code == 401
        with Session(app.state.engine) as db:
            stored = db.exec(text("SELECT token_hash FROM api_token")).scalar_one()
        assert token not in stored and len(stored) == 64
        assert c.delete(f"/api/auth/tokens/{token_id}").status_code == 204
        assert script.get("/api/interviews", headers=auth).status_code == 401


def test_local_mode_has_no_login(client):
    me = client.get("/api/auth/me")
    assert me.status_code == 200 and me.json()["mode"] == "local" and me.json()["user"]["email"] is None
    assert client.post("/api/auth/signup", json={"email": "a@example.com", "password": PASSWORD}).status_code == 409
    assert client.get("/api/interviews").status_code == 200
