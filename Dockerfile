# The school's image: gunicorn by default; the same image runs the e-mail
# worker and the daily schedule (compose.yaml). Not built here: this machine
# has the docker client but no engine.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=school.settings.production \
    GUNICORN_BIND=0.0.0.0:8000 FORWARDED_ALLOW_IPS=*

# A Chinese font for generated images (QR codes, thumbnails with text);
# postgresql-client (pg_dump, psql) for the operator.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 school
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir ".[production]"

# Static files and the proxy's error pages (414, 502) are made in the image; a
# throwaway key and address satisfy production settings for these commands.
RUN SECRET_KEY=build-only SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput -v0 \
    && SECRET_KEY=build-only SITE_URL=https://build.invalid \
    python manage.py write_error_pages \
    && mkdir -p /app/media /app/private_media && chown -R school /app/media /app/private_media

USER school
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
