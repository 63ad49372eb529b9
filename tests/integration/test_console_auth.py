"""Console sign-in against a migrated database: lockout and back-off, sessions, CSRF tokens."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from liandong.app import Liandong
from liandong.auth import passwords, sessions
from liandong.auth import service as auth
from liandong.auth.tables import ConsoleSessionRow, LoginThrottleRow
from liandong.config import Settings

PASSWORD = "Hotline-12345"
IDLE = timedelta(minutes=30)


@pytest.fixture
def ctx(db_url, clock):
    c = Liandong(Settings(database_url=db_url), clock=clock)
    with c.write() as s:
        auth.add_user(s, c.city, name="小王", role="operator", platform="12345", unit=None, region=None, now=clock.now())
        passwords.set_password(s, "小王", PASSWORD, clock.now())
        auth.add_user(s, c.city, name="无密码", role="operator", platform="12345", unit=None, region=None, now=clock.now())
    yield c
    c.close()


def attempt(ctx, name, password):
    with ctx.write() as s:
        return passwords.attempt_sign_in(s, name, password, ctx.clock.now())


def test_right_password_signs_in_and_clears_failures(ctx):
    assert not attempt(ctx, "小王", "wrong-1").ok
    outcome = attempt(ctx, "小王", PASSWORD)
    assert outcome.ok and outcome.user.name == "小王"
    with ctx.read() as s:
        assert s.scalars(select(LoginThrottleRow)).all() == []


def test_five_failures_lock_the_name_even_with_the_right_password(ctx):
    messages = [attempt(ctx, "小王", f"wrong-{i}").message for i in range(5)]
    assert messages[0] == "用户名或密码错误；再错 4 次将暂时锁定"
    assert messages[3] == "用户名或密码错误；再错 1 次将暂时锁定"
    assert "已暂时锁定" in messages[4] and "15 分钟" in messages[4]
    locked = attempt(ctx, "小王", PASSWORD)
    assert not locked.ok and "已暂时锁定" in locked.message
    ctx.clock.advance(timedelta(minutes=15, seconds=1))
    assert attempt(ctx, "小王", PASSWORD).ok


def test_each_further_lock_lasts_longer(ctx):
    for _ in range(5):
        attempt(ctx, "小王", "wrong")
    ctx.clock.advance(timedelta(minutes=16))
    for _ in range(4):
        attempt(ctx, "小王", "wrong")
    second = attempt(ctx, "小王", "wrong")
    assert second.locked_until - ctx.clock.now() == timedelta(minutes=30)
    assert "30 分钟" in second.message


def test_failures_older_than_the_window_are_forgotten(ctx):
    for _ in range(4):
        attempt(ctx, "小王", "wrong")
    ctx.clock.advance(timedelta(minutes=16))
    assert attempt(ctx, "小王", "wrong").message.endswith("再错 4 次将暂时锁定")


def test_unknown_names_answer_and_lock_exactly_like_known_ones(ctx):
    """No user enumeration: same messages, same lock, for a name that does not exist."""
    known = [attempt(ctx, "小王", "wrong").message for _ in range(5)]
    unknown = [attempt(ctx, "不存在的人", "wrong").message for _ in range(5)]
    no_password = [attempt(ctx, "无密码", "wrong").message for _ in range(5)]
    assert known == unknown == no_password


def test_deactivated_user_cannot_sign_in(ctx):
    from liandong.auth.tables import UserRow

    with ctx.write() as s:
        s.scalar(select(UserRow).where(UserRow.name == "小王")).active = False
    assert attempt(ctx, "小王", PASSWORD).message.startswith("用户名或密码错误")


def sign_in(ctx) -> str:
    with ctx.write() as s:
        return sessions.start_session(s, passwords.attempt_sign_in(s, "小王", PASSWORD, ctx.clock.now()).user,
                                      ctx.clock.now())


def resolve(ctx, token):
    with ctx.read() as s:
        return sessions.resolve(s, token, ctx.clock.now(), IDLE)


def test_session_is_stored_as_a_digest_and_resolves_to_the_user(ctx):
    token = sign_in(ctx)
    with ctx.read() as s:
        row = s.scalars(select(ConsoleSessionRow)).one()
    assert row.digest == sessions.session_digest(token) and token not in (row.digest, row.csrf_token)
    me = resolve(ctx, token)
    assert me.name == "小王" and me.actor.role.value == "operator" and me.platform == "12345"
    assert me.csrf_token == row.csrf_token and len(me.csrf_token) >= 40
    assert resolve(ctx, "forged") is None and resolve(ctx, None) is None


def test_idle_session_expires_and_activity_keeps_it_alive(ctx):
    token = sign_in(ctx)
    for _ in range(3):  # 3 × 25 min of activity: alive, because each request touches it
        ctx.clock.advance(timedelta(minutes=25))
        me = resolve(ctx, token)
        assert me is not None and sessions.needs_touch(me, ctx.clock.now())
        with ctx.write() as s:
            sessions.touch(s, me.session_id, ctx.clock.now())
    ctx.clock.advance(timedelta(minutes=30, seconds=1))
    assert resolve(ctx, token) is None


def test_sessions_end_at_max_age_however_active(ctx):
    token = sign_in(ctx)
    step = timedelta(minutes=20)
    for _ in range(int(sessions.MAX_AGE / step)):  # a request every 20 minutes for 12 hours
        ctx.clock.advance(step)
        me = resolve(ctx, token)
        assert me is not None
        with ctx.write() as s:
            sessions.touch(s, me.session_id, ctx.clock.now())
    ctx.clock.advance(timedelta(minutes=1))
    assert resolve(ctx, token) is None


def test_sign_out_and_password_change_end_sessions(ctx):
    a, b, c = sign_in(ctx), sign_in(ctx), sign_in(ctx)
    first = resolve(ctx, a)
    with ctx.write() as s:
        sessions.end_session(s, first.session_id, ctx.clock.now())
    assert resolve(ctx, a) is None and resolve(ctx, b) is not None
    keep = resolve(ctx, c)
    with ctx.write() as s:
        from liandong.auth.tables import UserRow

        user = s.get(UserRow, keep.user_id)
        passwords.change_password(s, user, PASSWORD, "Another-2026", ctx.clock.now())
        assert sessions.end_sessions_of(s, user.id, ctx.clock.now(), keep=keep.session_id) == 1
    assert resolve(ctx, b) is None and resolve(ctx, c) is not None
    assert attempt(ctx, "小王", "Another-2026").ok


def test_change_password_needs_the_old_one_and_a_new_strong_one(ctx):
    from liandong.auth.tables import UserRow
    from liandong.core.errors import InvalidInput

    for old, new, message in [(PASSWORD, PASSWORD, "不能与原密码相同"), (PASSWORD, "short1", "至少 8 个字符")]:
        with pytest.raises(InvalidInput) as err, ctx.write() as s:
            passwords.change_password(s, s.scalar(select(UserRow).where(UserRow.name == "小王")), old, new, ctx.clock.now())
        assert message in err.value.message


def test_guessing_the_old_password_locks_the_account_like_wrong_sign_ins(ctx):
    """A borrowed session cannot be used to guess the password: wrong old passwords count against the lock."""
    from liandong.auth.tables import UserRow

    refusals = []
    for _ in range(5):
        with ctx.write() as s:
            user = s.scalar(select(UserRow).where(UserRow.name == "小王"))
            refusals.append(passwords.change_password(s, user, "wrong-guess", "Another-2026", ctx.clock.now()))
    assert "原密码不正确" in refusals[0] and "再错 4 次" in refusals[0] and "锁定" in refusals[-1]
    with ctx.write() as s:
        user = s.scalar(select(UserRow).where(UserRow.name == "小王"))
        assert "锁定" in passwords.change_password(s, user, PASSWORD, "Another-2026", ctx.clock.now())
    outcome = attempt(ctx, "小王", PASSWORD)
    assert not outcome.ok and "锁定" in outcome.message


def test_csrf_tokens_compare_exactly():
    assert sessions.csrf_ok("abc", "abc")
    assert not sessions.csrf_ok("abc", "abd") and not sessions.csrf_ok("abc", "") and not sessions.csrf_ok("abc", None)
    assert not sessions.csrf_ok("abc", "中文")


def test_first_failures_of_one_name_at_the_same_instant_both_count(ctx):
    """Two wrong sign-ins for a name with no throttle row yet, at once: both are refused as wrong (no error
    on the row's key) and both count."""
    import threading

    from liandong.auth.tables import LoginThrottleRow

    barrier, outcomes = threading.Barrier(2), []

    def wrong():
        barrier.wait()
        outcomes.append(attempt(ctx, "同时", "wrong-pass"))

    threads = [threading.Thread(target=wrong) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [o.ok for o in outcomes] == [False, False]
    with ctx.read() as s:
        assert s.get(LoginThrottleRow, passwords.throttle_key("同时")).failures == 2
