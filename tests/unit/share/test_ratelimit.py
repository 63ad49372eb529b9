from liandong.share.ratelimit import RateLimiter


def test_a_full_bucket_lets_per_minute_requests_through_then_says_when_to_retry():
    limiter = RateLimiter()
    assert [limiter.wait(1, 3, 100.0) for _ in range(3)] == [0, 0, 0]
    assert limiter.wait(1, 3, 100.0) == 20  # 3 a minute: one token every 20 s
    assert limiter.wait(1, 3, 110.0) == 10  # half refilled: 10 s to go
    assert limiter.wait(1, 3, 120.0) == 0  # refilled one: let through


def test_consumers_have_their_own_buckets_and_a_refusal_costs_nothing():
    limiter = RateLimiter()
    assert limiter.wait(1, 1, 0.0) == 0
    assert limiter.wait(1, 1, 0.0) == 60
    assert limiter.wait(2, 1, 0.0) == 0
    assert limiter.wait(1, 1, 59.5) == 1  # refusals did not drain the bucket further
    assert limiter.wait(1, 1, 60.0) == 0
