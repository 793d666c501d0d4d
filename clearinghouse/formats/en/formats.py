"""English dates are ISO ("2026-12-01", "2026-12-01 14:05"), as on the invoice: the portal's
English readers are spread over many countries, and the ISO form is the one none of them
misreads. What is not set here is Django's English."""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
