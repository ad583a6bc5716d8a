"""StreamField blocks of a module body: text, video, role-play scenario, knowledge check, reflection."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from courses.grading import DEFAULT_REVEAL_AFTER

MEDIA_MIME_PREFIXES = ("video/", "audio/")


class FilerMediaChooserBlock(blocks.ChooserBlock):
    """A django-filer file that is a video or audio recording (a select list of those files)."""

    target_model = "filer.File"

    @cached_property
    def field(self):
        from filer.models import File

        queryset = File.objects.filter(mime_type__regex=r"^(video|audio)/").order_by("original_filename")
        return forms.ModelChoiceField(queryset=queryset, required=self._required, help_text=self._help_text)

    @property
    def widget(self):
        return forms.Select()

    def get_form_state(self, value):
        return self.widget.format_value(self.get_prep_value(value))


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    file = FilerMediaChooserBlock(required=False, help_text="A video uploaded to the file library…")
    embed_url = blocks.URLBlock(required=False, help_text="…or the address of a video hosted elsewhere.")
    captions = blocks.URLBlock(required=False, help_text="Address of a WebVTT captions file (.vtt).")
    transcript = blocks.RichTextBlock(required=False, features=["bold", "italic", "ul", "ol"])

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if not value.get("file") and not value.get("embed_url"):
            errors["embed_url"] = ValidationError("Choose a file from the library or give a video address.")
        if not value.get("captions") and not value.get("transcript"):
            errors["transcript"] = ValidationError("Every video needs captions or a transcript.")
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"


class ScenarioBlock(blocks.StructBlock):
    scenario = SnippetChooserBlock("courses.Scenario")
    how_to_use = blocks.CharBlock(required=False, max_length=300,
                                  help_text="One sentence on how to use the scenario in this module.")

    class Meta:
        icon = "group"
        template = "courses/blocks/scenario.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=400)
    correct = blocks.BooleanBlock(required=False)


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock()
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2)
    explanation = blocks.TextBlock(help_text="Why the right answer is right: shown once the check is passed, or "
                                             "after the check's number of tries.")
    review = blocks.CharBlock(required=False, max_length=200,
                              help_text="Optional: the section of this module to re-read when the question is "
                                        "answered wrongly (its heading, e.g. \"Before you dial\").")

    def clean(self, value):
        value = super().clean(value)
        if not any(choice["correct"] for choice in value["choices"]):
            raise blocks.StructBlockValidationError(
                block_errors={"choices": ValidationError("Mark at least one choice as correct.")}
            )
        return value


class KnowledgeCheckBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    pass_mark = blocks.IntegerBlock(min_value=1, max_value=100, default=80, help_text="Percent correct to pass.")
    reveal_after = blocks.IntegerBlock(
        min_value=0, max_value=20, default=DEFAULT_REVEAL_AFTER, required=False,
        help_text="After this many tries without passing, show the right answers and why (0: only once passed). "
                  "Until then a wrong answer says only which questions to look at again.")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "tick"


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock()
    guidance = blocks.TextBlock(required=False)

    class Meta:
        icon = "edit"


class ModuleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=["h3", "h4", "bold", "italic", "ul", "ol", "link"])
    video = VideoBlock()
    scenario = ScenarioBlock()
    knowledge_check = KnowledgeCheckBlock()
    reflection = ReflectionBlock()

    # Blocks whose rendering depends on the person reading (rendered per request, never cached).
    PERSONAL = frozenset({"knowledge_check", "reflection"})
