"""The "Validation staff" group's permissions: see `clearinghouse.staff_groups`, the one table
of every staff group."""

from clearinghouse.staff_groups import STAFF_GROUPS, VALIDATION_STAFF

PERMISSIONS = STAFF_GROUPS[VALIDATION_STAFF]
