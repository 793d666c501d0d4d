"""Signals for side effects of code events (the donors' webhooks listen to them).

Both are sent inside the transaction of the change, with arguments `code` and `actor`.
"""

from django.dispatch import Signal

code_revoked = Signal()
code_replaced = Signal()  # `code` is the old code; `new_code` is the one that replaced it
