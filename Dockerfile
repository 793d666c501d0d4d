FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 portal
WORKDIR /app

COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build INVOICE_SELLER_NAME=build \
    INVOICE_SELLER_ADDRESS=build INVOICE_SELLER_REGISTRATION_NUMBER=build \
    INVOICE_SELLER_VAT_NUMBER=build INVOICE_SELLER_EMAIL=build INVOICE_SELLER_BANKGIRO=build \
    python manage.py collectstatic --no-input \
    && mkdir -p var && chown -R portal:portal var
USER portal

EXPOSE 8000
CMD ["gunicorn", "clearinghouse.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
