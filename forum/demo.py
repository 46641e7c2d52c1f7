"""The demo community that `flask --app forum seed-demo` creates, through the services: members
with confirmed addresses, prompts, contributions, ratings, follows, comments and outcomes (three
strategies tried by three members or more, so "Proven in practice" lists them at once), so that
`sam` finds notifications in the inbox, a weekly digest in instance/mail/ and a playbook with
one strategy whose reminder date has passed."""

from __future__ import annotations

from datetime import timedelta

from forum.models.types import utcnow
from forum.services import (
    accounts,
    comments,
    contributions,
    digests,
    following,
    outcomes,
    playbook,
    prompts,
    ratings,
    topics,
)

DEMO_PASSWORD = "demo-password"  # noqa: S105 (published demo accounts)

PEOPLE = [
    ("ada", "Ada Okafor", "admin", "Community lead"),
    ("maria", "Maria Lindqvist", "moderator", "Executive coach, ICF PCC"),
    ("sam", "Sam Rivera", "member", "Life coach for career changers"),
    ("priya", "Priya Natarajan", "member", "Business coach, 12 years with founders"),
    ("tom", "Tom Becker", "member", "Health and habits coach"),
    ("lena", "Lena Duarte", "member", "Team coach in tech companies"),
    ("kofi", "Kofi Mensah", "member", "Personal coach and former teacher"),
]

TOPICS = [
    ("Life Coaching", "life-coaching", "Helping people shape the life they want."),
    ("Personal Coaching", "personal-coaching", "Habits, confidence and personal growth."),
    ("Business Coaching", "business-coaching", "Founders, leaders and teams."),
]

PROMPTS = [
    {
        "topic": "life-coaching",
        "title": "Dealing with a resistant client in coaching sessions: how do you unlock their "
        "motivation to take action?",
        "intro": "Some clients agree with every insight in the session and then do nothing "
        "between sessions. What has actually worked for you to move them from *talking* to "
        "*doing*?",
        "key_points": [
            ("Cultivate trust", "Resistance often hides fear of judgement."),
            ("Ask powerful questions", "Questions that let the client find their own reason."),
            ("Set achievable goals", "Steps small enough that starting is easy."),
        ],
        "tags": ["motivation", "resistance"],
        "answers": [
            (
                "sam",
                0,
                "I stopped pushing and asked what they would lose by changing. The "
                "resistance was protecting something real. Once we named it, the client chose a "
                "first step on their own. #trust #questions",
            ),
            (
                "priya",
                2,
                "Make the first commitment **embarrassingly small**: one email, five "
                "minutes. Momentum does the rest. I track it together with the client on a shared "
                "page. #goals #momentum",
            ),
            (
                "tom",
                1,
                "Scaling questions work well: *on a scale of 1 to 10, how ready are you?* "
                "Then ask why it is not a lower number. They argue for change themselves. "
                "#questions #motivational-interviewing",
            ),
            (
                "lena",
                None,
                "I name the pattern openly and kindly: 'I notice we agree on plans "
                "that do not happen. What do you make of that?' It turns resistance into material "
                "for the session. #trust",
            ),
            (
                "kofi",
                2,
                "Let the client pick the accountability: text me, tell a friend, or "
                "nothing. Ownership of the mechanism matters more than the mechanism. "
                "#accountability",
            ),
        ],
    },
    {
        "topic": "business-coaching",
        "title": "How do you help a founder delegate when they believe nobody can do it as well?",
        "intro": "Founders who cannot let go become the bottleneck of their own company.",
        "key_points": [
            ("Find the real fear", "Quality, control, or identity?"),
            ("Start with reversible decisions", "Delegate what can be undone."),
        ],
        "tags": ["delegation", "founders"],
        "answers": [
            (
                "priya",
                1,
                "We list decisions by how reversible they are. Founders happily "
                "delegate the reversible ones first, and trust grows from there. #delegation",
            ),
            (
                "lena",
                0,
                "Ask: what would have to be true for you to trust someone with this? "
                "The answer is the hiring brief. #questions",
            ),
            (
                "sam",
                None,
                "A 'delegation diary' for two weeks: every task done, and who else "
                "could have done it. The list usually shocks them. #reflection",
            ),
        ],
    },
    {
        "topic": "personal-coaching",
        "title": "What helps clients keep a new habit past the first month?",
        "intro": "The first weeks run on enthusiasm. What carries a habit after that?",
        "key_points": [
            ("Design the environment", "Make the habit the easy default."),
            ("Plan for lapses", "A missed day is data, not failure."),
        ],
        "tags": ["habits"],
        "answers": [
            (
                "tom",
                1,
                "We write a 'lapse plan' in week one: what you do the day after you miss. "
                "Clients who have one recover; the others quit. #habits #resilience",
            ),
            (
                "kofi",
                0,
                "Tie the habit to an existing routine and put the cue where it cannot "
                "be missed: running shoes next to the kettle. #habits",
            ),
        ],
    },
]

# (rater, prompt index, answer index, score)
RATINGS = [
    ("maria", 0, 0, 5), ("priya", 0, 0, 5), ("tom", 0, 0, 4), ("lena", 0, 0, 5),
    ("kofi", 0, 0, 4), ("ada", 0, 0, 5),
    ("maria", 0, 1, 4), ("sam", 0, 1, 5), ("tom", 0, 1, 4), ("ada", 0, 1, 4),
    ("maria", 0, 2, 3), ("sam", 0, 2, 4),
    ("maria", 0, 4, 2),
    ("maria", 1, 0, 5), ("sam", 1, 0, 4), ("tom", 1, 0, 5),
    ("maria", 1, 1, 4),
    ("sam", 2, 0, 5), ("priya", 2, 0, 4), ("lena", 2, 0, 5), ("maria", 2, 1, 3),
]  # fmt: skip


# (member, target type, target): what members follow besides what they wrote.
FOLLOWS = [
    ("sam", "topic", "business-coaching"),
    ("sam", "tag", "habits"),
    ("sam", "user", "tom"),
    ("priya", "topic", "life-coaching"),
]

# (commenter, prompt index, answer index, kind, body)
COMMENTS = [
    ("priya", 0, 0, "question", "How do you ask what they would lose without sounding like you "
     "doubt their goal?"),
    ("kofi", 0, 0, "context", "Same here with teenagers: naming what the resistance protects "
     "works better than any technique. @sam, do you write it down with them?"),
    ("lena", 1, 2, "counter", "With one founder the diary backfired: it became a list of why "
     "nobody else could do it. Pairing it with a hiring brief helped."),
]  # fmt: skip


# (member, prompt index, answer index, result, setting, note): what happened when they tried it.
OUTCOMES = [
    ("priya", 0, 0, "worked", "one_to_one", ""),
    ("tom", 0, 0, "worked", "one_to_one", ""),
    ("lena", 0, 0, "partly", "group", ""),
    ("kofi", 0, 0, "worked", "one_to_one", "A teenager who kept cancelling: asking what changing "
     "would cost him was the turning point. Thank you."),
    ("sam", 0, 1, "worked", "one_to_one", ""),
    ("tom", 0, 1, "didnt", "one_to_one", ""),
    ("kofi", 0, 1, "worked", "group", ""),
    ("lena", 0, 1, "partly", "team", ""),
    ("sam", 2, 0, "worked", "one_to_one", ""),
    ("kofi", 2, 0, "worked", None, ""),
    ("lena", 2, 0, "worked", "group", ""),
    ("sam", 1, 1, "partly", "team", ""),
]  # fmt: skip

# (member, prompt index, answer index, days ago saved, reminder days): sam's playbook. The first
# reminder date has passed: the periodic check-in asks sam how it went.
SAVES = [
    ("sam", 0, 3, 15, 1),
    ("sam", 2, 1, 0, 14),
]


def seed() -> bool:
    """Create the demo community once; False when it is already there."""
    if accounts.find_user("ada") is not None:
        return False
    people = {}
    for username, name, role, headline in PEOPLE:
        user = accounts.register(username, f"{username}@example.org", DEMO_PASSWORD, name, role)
        user.email_confirmed_at = utcnow()  # demo addresses count as confirmed (saved just below)
        people[username] = accounts.update_profile(user, headline=headline)
    maria = people["maria"]
    for name, slug, description in TOPICS:
        topics.create_topic(maria, name, description, slug)
    made = [
        prompts.create_prompt(
            maria,
            title=spec["title"],
            intro=spec["intro"],
            topic=spec["topic"],
            key_points=[{"title": t, "body": b} for t, b in spec["key_points"]],
            tags=spec["tags"],
        )
        for spec in PROMPTS
    ]
    for username, target_type, target in FOLLOWS:  # before the contributions they hear of
        following.follow(people[username], target_type, target)
    posted = []
    for prompt, spec in zip(made, PROMPTS, strict=True):
        answers = []
        for username, point, body in spec["answers"]:
            key_point_id = prompt.key_points[point].id if point is not None else None
            answers.append(
                contributions.create_contribution(people[username], prompt, body, key_point_id)
            )
        posted.append(answers)
    for rater, prompt_index, answer_index, score in RATINGS:
        ratings.rate(people[rater], posted[prompt_index][answer_index], score)
    first = posted[0][0].prompt
    for username in ("sam", "priya", "tom"):
        prompts.rate_prompt(people[username], first, True)
    for username, prompt_index, answer_index, result, setting, note in OUTCOMES:
        outcomes.report(people[username], posted[prompt_index][answer_index], result, setting, note)
    for username, prompt_index, answer_index, days_ago, remind_days in SAVES:
        saved = playbook.save(people[username], posted[prompt_index][answer_index], remind_days)
        # Saved some days ago: its dates move back with it (committed by the next service).
        saved.saved_at -= timedelta(days=days_ago)
        saved.remind_at -= timedelta(days=days_ago)
    for username, prompt_index, answer_index, kind, body in COMMENTS:
        comments.create_comment(people[username], posted[prompt_index][answer_index], body, kind)
    # Sam's weekly digest now, keyed by the week's slot: the worker's run that Monday finds it sent.
    digests.send_digests("weekly", digests.next_slot("weekly", utcnow()), people["sam"].id)
    return True
