"""The centre's default questionnaires, in English and Arabic: made by a migration, and again whenever
one is missing (a database emptied by hand, or a test that flushed it). Staff change them on the
questionnaires page, and a course may have its own version."""

from django.db import IntegrityError, transaction

SCALE, TEXT = "scale", "text"
DEFAULTS = {
    "level1": (
        True,
        "Your answers are anonymous. They help us improve the course.",
        "إجاباتك مجهولة الهوية، وتساعدنا على تحسين الدورة.",
        [
            ("The course met its stated objectives.", "حققت الدورة أهدافها المعلنة.", SCALE, True),
            (
                "The content was relevant to my current or next post.",
                "كان المحتوى ذا صلة بمنصبي الحالي أو القادم.",
                SCALE,
                True,
            ),
            (
                "The instructors knew their subject and presented it clearly.",
                "أتقن المدربون موضوعهم وعرضوه بوضوح.",
                SCALE,
                True,
            ),
            (
                "The syndicate work and exercises helped me learn.",
                "ساعدني العمل في المجموعات والتمارين على التعلم.",
                SCALE,
                True,
            ),
            (
                "The administration, facilities and joining instructions were satisfactory.",
                "كانت الإدارة والمرافق وتعليمات الالتحاق مرضية.",
                SCALE,
                True,
            ),
            (
                "Overall, I would recommend this course to colleagues.",
                "بشكل عام، أوصي زملائي بهذه الدورة.",
                SCALE,
                True,
            ),
            ("What was most valuable?", "ما أكثر ما أفادك؟", TEXT, False),
            ("What should be improved?", "ما الذي ينبغي تحسينه؟", TEXT, False),
        ],
    ),
    "level3_graduate": (
        False,
        "Six months after the course: how has it served you in your work?",
        "بعد ستة أشهر من الدورة: كيف أفادتك في عملك؟",
        [
            (
                "I have used what I learned on the course in my work.",
                "استخدمت ما تعلمته في الدورة في عملي.",
                SCALE,
                True,
            ),
            ("The course improved my performance in my post.", "حسّنت الدورة أدائي في منصبي.", SCALE, True),
            ("I have shared what I learned with colleagues.", "شاركت ما تعلمته مع زملائي.", SCALE, True),
            (
                "The course helped my cooperation with NATO and partner nations.",
                "ساعدتني الدورة في التعاون مع حلف الناتو والدول الشريكة.",
                SCALE,
                True,
            ),
            ("Give an example of how you used what you learned.", "اذكر مثالاً على استخدامك لما تعلمته.", TEXT, False),
            ("What further training would help you?", "ما التدريب الإضافي الذي قد يفيدك؟", TEXT, False),
        ],
    ),
    "level3_supervisor": (
        False,
        "You supervise a graduate of the course. How has it served them in their work?",
        "أنت مشرف على أحد خريجي الدورة. كيف أفادته الدورة في عمله؟",
        [
            (
                "Since the course, the graduate applies what they learned in their work.",
                "منذ الدورة، يطبق الخريج ما تعلمه في عمله.",
                SCALE,
                True,
            ),
            (
                "The graduate's performance in the course's subjects has improved.",
                "تحسن أداء الخريج في موضوعات الدورة.",
                SCALE,
                True,
            ),
            (
                "The course was worth the graduate's time away from duty.",
                "كانت الدورة تستحق غياب الخريج عن عمله.",
                SCALE,
                True,
            ),
            ("I would nominate other staff for this course.", "سأرشح موظفين آخرين لهذه الدورة.", SCALE, True),
            ("Comments", "ملاحظات", TEXT, False),
        ],
    ),
}


def ensure_defaults(Questionnaire=None, Question=None) -> None:  # noqa: N803 - model classes
    """Make each kind's default questionnaire that is missing. A migration passes its historical models."""
    if Questionnaire is None:
        from icihub.evaluation.models import Question, Questionnaire
    for kind, (anonymous, intro_en, intro_ar, questions) in DEFAULTS.items():
        if Questionnaire.objects.filter(kind=kind, course=None).exists():
            continue
        try:
            with transaction.atomic():  # the questionnaire with its questions, or nothing
                questionnaire = Questionnaire.objects.create(
                    kind=kind, course=None, anonymous=anonymous, intro_en=intro_en, intro_ar=intro_ar
                )
                Question.objects.bulk_create(
                    Question(
                        questionnaire=questionnaire,
                        position=position,
                        text_en=text_en,
                        text_ar=text_ar,
                        answer=answer,
                        required=required,
                    )
                    for position, (text_en, text_ar, answer, required) in enumerate(questions, start=1)
                )
        except IntegrityError:  # made a moment ago by a concurrent request
            continue
