"""What the order core tells the rest of the system (领域事件): an order was opened, an action was accepted.

Published by `orders.service.Orders` inside the transaction that made the change, after its audit event,
to the listeners wired in the composition root (`app.py`): supervision (deadlines, bounce flags), linkage
(shadow orders, messages to peer desks) and later capabilities. A listener that raises refuses the whole
change. The order core imports none of its listeners.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Union

from sqlalchemy.orm import Session

from liandong.core.actors import Actor
from liandong.orders.model import ActionCommand
from liandong.orders.states import Action, Status
from liandong.orders.tables import OrderRow


@dataclass(frozen=True)
class OrderOpened:  # 已开单
    order: OrderRow
    actor: Actor
    now: datetime


@dataclass(frozen=True)
class OrderChanged:  # 已办理（一步操作被接受）
    order: OrderRow
    action: Action
    from_status: Status
    to_status: Status
    cmd: ActionCommand
    actor: Actor
    now: datetime


OrderEvent = Union[OrderOpened, OrderChanged]
Listener = Callable[[Session, OrderEvent], None]
