"""Why the exchange refuses a message — one class per reason, each with a machine code and HTTP status.

    ExchangeRejected                       code, status, retryable; message in Chinese
    ├── AuthRejected              401      unsigned, unknown_peer, unknown_key, bad_timestamp,
    │                                      stale_timestamp, body_tampered, bad_signature
    ├── MessageInvalid            422      invalid_message, unsupported_version
    ├── NotAllowed                403      peer_mismatch, wrong_receiver, not_owner, kind_not_allowed
    ├── UnknownOrder              404      unknown_order
    ├── SequenceGap               409      seq_gap (retryable: the relay sends the missing seq first)
    ├── SequenceConflict          409      seq_conflict (a different message already used this seq)
    └── Refused                   409/422  refused: the order core turned the message down

Rejections after the signature has been verified are stored in the inbox under the message id,
so a re-delivery gets the same answer. Authentication failures and sequence gaps are not stored.
"""

from __future__ import annotations


class ExchangeRejected(Exception):
    code = "rejected"
    status = 400
    retryable = False

    def __init__(self, message: str, *, code: str | None = None, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}

    def body(self, message_id: str | None = None) -> dict:
        return {
            "ok": False,
            "message_id": message_id,
            "code": self.code,
            "message": self.message,
            "retryable": self.retryable,
            "details": self.details,
        }


class AuthRejected(ExchangeRejected):
    status = 401


class MessageInvalid(ExchangeRejected):
    status = 422
    code = "invalid_message"


class NotAllowed(ExchangeRejected):
    status = 403


class UnknownOrder(ExchangeRejected):
    status = 404
    code = "unknown_order"


class SequenceGap(ExchangeRejected):
    status = 409
    code = "seq_gap"
    retryable = True


class SequenceConflict(ExchangeRejected):
    status = 409
    code = "seq_conflict"


class Refused(ExchangeRejected):
    status = 409
    code = "refused"
