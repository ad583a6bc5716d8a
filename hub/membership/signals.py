"""What account life tells the apps above `hub` (they connect in their `AppConfig.ready()`).

`visitor_left_district(sender, person, district, reason, by)`: `person` no longer visits families in
`district` (None: anywhere, after deactivation); `reason` is a sentence for the coordinator's board.
Receivers run inside the service's transaction, so a refused change leaves nothing behind."""

from django.dispatch import Signal

visitor_left_district = Signal()
