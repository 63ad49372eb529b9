"""Event push (事件推送, 一网统管): signed webhooks to subscribers for chosen order events, through an outbox."""
