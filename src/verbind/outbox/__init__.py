"""The outbox: every e-mail verbind sends is stored first, then sent, and retried.

The lowest app in the layer order (it imports no other verbind app), so every app may
use it. The functions are in ``verbind.outbox.domain.mailing``.
"""
