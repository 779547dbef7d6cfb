from django.core.management.base import BaseCommand

from school import renditions


class Command(BaseCommand):
    help = (
        "Make every image size the pages show that is still missing (images "
        "saved before a size was added), so no visitor's page view makes one."
    )

    def handle(self, *args, **options):
        count = renditions.make_missing()
        if options["verbosity"]:
            self.stdout.write(f"{count} images have every size the pages show.")
