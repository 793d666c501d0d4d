"""What a bench sets in the environment to start the portal with DEBUG off."""

# Required with DEBUG off (the portal refuses to start without them); no bench issues an
# invoice.
SELLER_ENV = {
    "INVOICE_SELLER_NAME": "Bench Clearinghouse AB",
    "INVOICE_SELLER_ADDRESS": "Benchgatan 1\\n111 22 Stockholm",
    "INVOICE_SELLER_REGISTRATION_NUMBER": "556677-8899",
    "INVOICE_SELLER_VAT_NUMBER": "SE556677889901",
    "INVOICE_SELLER_EMAIL": "billing@clearinghouse.test",
    "INVOICE_SELLER_BANKGIRO": "5050-1055",
}
