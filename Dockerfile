# Production image: gunicorn serving Django; the same image runs the Celery worker and beat.
FROM python:3.13-slim-bookworm

ENV DEBUG=false \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries (Pango, HarfBuzz), and DejaVu fonts for Cyrillic in PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 bakhmach
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=bakhmach:bakhmach . .
# collectstatic needs settings that load; the build-time key is never used at run time.
# compiletranslations builds the .mo catalogs (not committed) with polib: no gettext in the image.
RUN SECRET_KEY=collectstatic-only python manage.py compiletranslations \
    && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown bakhmach:bakhmach /app/var

USER bakhmach
EXPOSE 8000
CMD ["gunicorn", "bakhmach.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
