"""The goal ladder: a goal, a small step toward it, and one even smaller than that."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .forms import GoalForm, StepForm
from .models import Goal, Step
from .services import records
from .services.sync.shape import iso_utc

bp = Blueprint("goals", __name__)
# Pages carry each record's version, so the offline scripts know what is newer than the page.
bp.add_app_template_filter(iso_utc, "iso_utc")


def owned_or_404(model, record_id):
    """Return the signed-in person's record, or answer 404."""
    record = records.owned(model, current_user, record_id)
    if record is None:
        abort(404)
    return record


def step_fields(form: StepForm) -> dict:
    """Return a step's fields from a validated form."""
    return {
        "title": form.title.data,
        "weekly_target": int(form.weekly_target.data) if form.weekly_target.data else None,
        "pairing": form.pairing.data or "",
    }


@bp.get("/goals")
@login_required
def index():
    """List the person's goals, each with its ladder."""
    return render_goals(GoalForm())


def render_goals(form: GoalForm, status: int = 200):
    """Render the goals page around a goal form."""
    goals = records.goals_of(current_user)
    return (
        render_template(
            "goals/index.html",
            form=form,
            goals=[(goal, records.flatten(records.ladder(goal))) for goal in goals],
            archived=records.goals_of(current_user, archived=True),
        ),
        status,
    )


@bp.post("/goals")
@login_required
def create():
    """Add a goal."""
    form = GoalForm()
    if not form.validate_on_submit():
        return render_goals(form, 400)
    goal = records.create_goal(current_user, form.title.data, form.why.data or "")
    flash(_("Goal added. What's one small step toward it?"), "info")
    return redirect(url_for("goals.show", goal_id=goal.id))


@bp.get("/goals/<goal_id>")
@login_required
def show(goal_id):
    """Show one goal's ladder with forms to add steps and smaller steps."""
    goal = owned_or_404(Goal, goal_id)
    return render_goal(goal, StepForm())


def render_goal(goal: Goal, step_form: StepForm, status: int = 200, failed_parent=None):
    """Render a goal's page."""
    return (
        render_template(
            "goals/show.html",
            goal=goal,
            rungs=records.flatten(records.ladder(goal)),
            step_form=step_form,
            failed_parent=failed_parent,
        ),
        status,
    )


@bp.route("/goals/<goal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(goal_id):
    """Rename a goal or change why it matters."""
    goal = owned_or_404(Goal, goal_id)
    form = GoalForm(obj=goal)
    if form.validate_on_submit():
        records.edit(goal, title=form.title.data, why=form.why.data or "")
        flash(_("Saved."), "info")
        return redirect(url_for("goals.show", goal_id=goal.id))
    steps = [
        {"id": str(step.id), "updated_at": iso_utc(step.updated_at)}
        for step in records.steps_of_goal(goal.id, goal.user_id)
    ]
    status = 400 if form.errors else 200
    return render_template("goals/edit.html", form=form, goal=goal, steps=steps), status


@bp.post("/goals/<goal_id>/delete")
@login_required
def delete(goal_id):
    """Delete a goal and its steps; wins logged toward them stay."""
    records.delete_goal(owned_or_404(Goal, goal_id))
    flash(_("Goal deleted. The wins you logged toward it stay with you."), "info")
    return redirect(url_for("goals.index"))


@bp.post("/goals/<goal_id>/archive")
@login_required
def archive(goal_id):
    """Put a goal away; its steps and wins stay."""
    records.set_archived(owned_or_404(Goal, goal_id), True)
    flash(_("Archived. You can bring it back any time."), "info")
    return redirect(url_for("goals.index"))


@bp.post("/goals/<goal_id>/unarchive")
@login_required
def unarchive(goal_id):
    """Bring an archived goal back."""
    goal = owned_or_404(Goal, goal_id)
    records.set_archived(goal, False)
    return redirect(url_for("goals.show", goal_id=goal.id))


@bp.post("/goals/<goal_id>/steps")
@login_required
def add_step(goal_id):
    """Add a step to a goal, or a smaller step under one of its steps."""
    goal = owned_or_404(Goal, goal_id)
    form = StepForm()
    parent = None
    if form.parent_step_id.data:
        parent = owned_or_404(Step, form.parent_step_id.data)
        if parent.goal_id != goal.id:
            abort(404)
    if not form.validate_on_submit():
        return render_goal(goal, form, 400, failed_parent=form.parent_step_id.data or None)
    records.create_step(current_user, goal, parent, **step_fields(form))
    flash(_("Added. Small is good."), "info")
    return redirect(url_for("goals.show", goal_id=goal.id))


@bp.route("/steps/<step_id>/edit", methods=["GET", "POST"])
@login_required
def edit_step(step_id):
    """Change a step's name, weekly target or pairing."""
    step = owned_or_404(Step, step_id)
    current = {
        "title": step.title,
        "pairing": step.pairing,
        "weekly_target": str(step.weekly_target) if step.weekly_target else "",
    }
    form = StepForm(data=current)
    if form.validate_on_submit():
        records.edit(step, **step_fields(form))
        flash(_("Saved."), "info")
        return redirect(url_for("goals.show", goal_id=step.goal_id))
    status = 400 if form.errors else 200
    return render_template("goals/edit_step.html", form=form, step=step), status


@bp.post("/steps/<step_id>/delete")
@login_required
def delete_step(step_id):
    """Delete a step and the smaller steps under it; wins logged toward them stay."""
    step = owned_or_404(Step, step_id)
    records.delete_step(step)
    flash(_("Step removed. Your wins stay with you."), "info")
    return redirect(url_for("goals.show", goal_id=step.goal_id))
