using Hearth.Core.Access;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.CaseWork;

/// <summary>A consent being recorded: whose, who gave it, when, and which agencies it covers.</summary>
public sealed record ConsentInput(string PersonReference, ConsentGiver GivenBy, string? GivenByPersonReference, DateOnly GivenOn, IReadOnlyList<string> Agencies);

/// <summary>A whole-family assessment being recorded.</summary>
public sealed record AssessmentInput(DateOnly CompletedOn, string Strengths, string Concerns, string FamilyView, IReadOnlyList<string> Themes);

public sealed partial class CaseWorkService
{
    private const int MaxText = 4000;

    /// <summary>
    /// Allocates the family to the manager's team and a key worker of that team. An identified (or not yet
    /// opened) family becomes allocated; re-allocating an open case keeps its status.
    /// </summary>
    public async Task<FamilyCase> AllocateAsync(Actor actor, string familyReference, string keyWorkerId, Guid? expectedVersion, CancellationToken ct = default)
    {
        const string Action = "case.allocate";
        var loaded = await LoadAsync(actor, familyReference, Action, ct);
        if (!loaded.Access.CanAllocate || actor.TeamId is null)
        {
            await DenyAsync(actor, Action, familyReference, "only a team manager allocates", ct);
            throw new CaseForbiddenException("Only a team manager can allocate families to their team.");
        }

        var worker = string.IsNullOrWhiteSpace(keyWorkerId) ? null : await users.FindAsync(keyWorkerId, ct);
        if (worker is null || !worker.Active || !worker.Roles.Contains(HearthRole.KeyWorker) || !string.Equals(worker.TeamId, actor.TeamId, StringComparison.Ordinal))
        {
            throw new CaseValidationException("KeyWorkerId", "Choose an active key worker in your team.");
        }

        var c = loaded.Case is { Status: not CaseStatus.Closed } open ? open : null;
        if (c is null)
        {
            c = new FamilyCase { FamilyId = loaded.Family.Id, Status = CaseStatus.Identified, CreatedUtc = Now, Version = Guid.NewGuid() };
            db.Cases.Add(c);
        }
        else if (expectedVersion is { } v)
        {
            ExpectVersion(c, x => x.Version, v, (x, g) => x.Version = g);
        }
        else
        {
            c.Version = Guid.NewGuid();
        }

        var target = c.Status == CaseStatus.Identified ? CaseStatus.Allocated : c.Status;
        var rule = CaseTransitions.Check(c.Status, target, actor.TeamId, worker.UserId, null);
        if (!rule.Allowed)
        {
            throw new CaseValidationException(string.Empty, rule.Explanation);
        }

        var reallocated = c.KeyWorkerId is not null;
        c.Status = target;
        c.TeamId = actor.TeamId;
        c.KeyWorkerId = worker.UserId;
        c.AllocatedUtc = Now;
        Audit(actor, Action, loaded.Family.Reference, reallocated ? "re-allocated to a key worker" : "allocated to a key worker");
        await SaveAsync(ct);
        return c;
    }

    /// <summary>
    /// Records a member's consent. The age rule decides who may give it (13 or over: themselves; under 13: a
    /// parent or carer who is an adult in the family). Recording the first consent on an allocated case starts the work (active).
    /// </summary>
    public async Task<MemberConsent> RecordConsentAsync(Actor actor, string familyReference, ConsentInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        const string Action = "consent.record";
        var loaded = await LoadForEditAsync(actor, familyReference, Action, ct);
        var errors = new List<FieldError>();
        var members = await MembersAsync(loaded.Family.Id, ct);
        var member = members.FirstOrDefault(m => m.Reference == input.PersonReference);
        if (member is null)
        {
            errors.Add(new FieldError("PersonReference", "Choose a member of this family."));
        }

        if (input.GivenOn > Today)
        {
            errors.Add(new FieldError("GivenOn", "The date consent was given must be today or in the past."));
        }

        var agencyCodes = input.Agencies.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var known = await db.Agencies.Select(a => a.Id).ToListAsync(ct);
        if (agencyCodes.Count == 0)
        {
            errors.Add(new FieldError("Agencies", "Select at least one agency the member agrees may share and see information."));
        }
        else if (agencyCodes.FirstOrDefault(a => !known.Contains(a)) is { } unknown)
        {
            errors.Add(new FieldError("Agencies", $"Agency {unknown} is not known to Hearth."));
        }

        long? giverId = null;
        string explanation = string.Empty;
        if (member is not null && input.GivenOn <= Today)
        {
            var rule = ConsentRules.Check(member.Role == FamilyRole.Adult, member.DateOfBirth, input.GivenOn, input.GivenBy);
            explanation = rule.Explanation;
            if (!rule.Allowed)
            {
                errors.Add(new FieldError("GivenBy", rule.Explanation));
            }
            else if (input.GivenBy == ConsentGiver.ParentOrCarer)
            {
                var parent = members.FirstOrDefault(m => m.Reference == input.GivenByPersonReference && m.Role == FamilyRole.Adult);
                if (parent is null)
                {
                    errors.Add(new FieldError("GivenByPersonReference", "Choose the parent or carer (an adult in the family) who gave consent."));
                }
                else
                {
                    giverId = parent.PersonId;
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new CaseValidationException(errors);
        }

        var consent = new MemberConsent
        {
            CaseId = loaded.Case!.Id,
            PersonId = member!.PersonId,
            GivenBy = input.GivenBy,
            GivenByPersonId = giverId,
            GivenOn = input.GivenOn,
            Agencies = string.Join(',', agencyCodes),
            RuleExplanation = explanation,
            RecordedBy = actor.UserId,
            RecordedUtc = Now,
        };
        db.MemberConsents.Add(consent);
        var detail = "consent recorded for a member";
        if (loaded.Case.Status == CaseStatus.Allocated)
        {
            var start = CaseTransitions.Check(loaded.Case.Status, CaseStatus.Active, loaded.Case.TeamId, loaded.Case.KeyWorkerId, null);
            if (start.Allowed)
            {
                loaded.Case.Status = CaseStatus.Active;
                loaded.Case.ActiveFrom = input.GivenOn;
                loaded.Case.Version = Guid.NewGuid();
                detail += "; case became active";
            }
        }

        Audit(actor, Action, loaded.Family.Reference, detail);
        await SaveAsync(ct);
        return consent;
    }

    /// <summary>Withdraws a consent. From the moment it is saved, partners no longer see what it shared.</summary>
    public async Task WithdrawConsentAsync(Actor actor, string familyReference, long consentId, string? note, CancellationToken ct = default)
    {
        const string Action = "consent.withdraw";
        var loaded = await LoadForEditAsync(actor, familyReference, Action, ct);
        var consent = loaded.Consents.FirstOrDefault(k => k.Id == consentId && k.WithdrawnUtc is null)
            ?? throw new CaseValidationException("ConsentId", "Choose a consent that has not been withdrawn.");
        if (note is { Length: > MaxText })
        {
            throw new CaseValidationException("Note", "The note must be 4,000 characters or fewer.");
        }

        consent.WithdrawnUtc = Now;
        consent.WithdrawnBy = actor.UserId;
        consent.WithdrawalNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        Audit(actor, Action, loaded.Family.Reference, "consent withdrawn for a member");
        await SaveAsync(ct);
    }

    /// <summary>Records a whole-family assessment.</summary>
    public async Task<FamilyAssessment> RecordAssessmentAsync(Actor actor, string familyReference, AssessmentInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        const string Action = "assessment.record";
        var loaded = await LoadForEditAsync(actor, familyReference, Action, ct);
        var errors = new List<FieldError>();
        if (input.CompletedOn > Today)
        {
            errors.Add(new FieldError("CompletedOn", "The date the assessment was completed must be today or in the past."));
        }

        Required(errors, "Strengths", input.Strengths, "Enter the family's strengths");
        Required(errors, "Concerns", input.Concerns, "Enter the concerns");
        Required(errors, "FamilyView", input.FamilyView, "Enter the family's own view");
        if (input.Themes.Count == 0)
        {
            errors.Add(new FieldError("Themes", "Select at least one need the assessment found."));
        }
        else if (input.Themes.FirstOrDefault(t => !NeedThemes.All.ContainsKey(t)) is { } bad)
        {
            errors.Add(new FieldError("Themes", $"{bad} is not a need theme."));
        }

        if (errors.Count > 0)
        {
            throw new CaseValidationException(errors);
        }

        var assessment = new FamilyAssessment
        {
            CaseId = loaded.Case!.Id,
            CompletedOn = input.CompletedOn,
            Strengths = input.Strengths.Trim(),
            Concerns = input.Concerns.Trim(),
            FamilyView = input.FamilyView.Trim(),
            Themes = string.Join(',', input.Themes.Distinct(StringComparer.Ordinal)),
            AssessedBy = actor.UserId,
            RecordedUtc = Now,
        };
        db.Assessments.Add(assessment);
        Audit(actor, Action, loaded.Family.Reference);
        await SaveAsync(ct);
        return assessment;
    }

    /// <summary>Creates the family plan (if there is none) with its first review date.</summary>
    public async Task<FamilyPlan> CreatePlanAsync(Actor actor, string familyReference, DateOnly nextReviewDue, CancellationToken ct = default)
    {
        const string Action = "plan.create";
        var loaded = await LoadForEditAsync(actor, familyReference, Action, ct);
        if (await db.Plans.AnyAsync(p => p.CaseId == loaded.Case!.Id, ct))
        {
            throw new CaseValidationException(string.Empty, "The family already has a plan.");
        }

        if (nextReviewDue < Today)
        {
            throw new CaseValidationException("NextReviewDue", "The first review date must be today or in the future.");
        }

        var plan = new FamilyPlan
        {
            CaseId = loaded.Case!.Id,
            CreatedUtc = Now,
            CreatedBy = actor.UserId,
            UpdatedUtc = Now,
            UpdatedBy = actor.UserId,
            NextReviewDue = nextReviewDue,
            Version = Guid.NewGuid(),
        };
        db.Plans.Add(plan);
        Audit(actor, Action, loaded.Family.Reference);
        await SaveAsync(ct);
        return plan;
    }

    /// <summary>Adds a need to the plan. <paramref name="planVersion"/> is the version the user read.</summary>
    public async Task<PlanNeed> AddNeedAsync(Actor actor, string familyReference, Guid planVersion, string theme, string description, CancellationToken ct = default)
    {
        const string Action = "plan.update";
        var (loaded, plan) = await PlanForEditAsync(actor, familyReference, Action, ct);
        var errors = new List<FieldError>();
        if (!NeedThemes.All.ContainsKey(theme ?? string.Empty))
        {
            errors.Add(new FieldError("Theme", "Select the need's theme."));
        }

        Required(errors, "Description", description, "Describe the need");
        if (errors.Count > 0)
        {
            throw new CaseValidationException(errors);
        }

        Touch(actor, plan, planVersion);
        var need = new PlanNeed { PlanId = plan.Id, Theme = theme!, Description = description.Trim() };
        db.PlanNeeds.Add(need);
        Audit(actor, Action, loaded.Family.Reference, "need added");
        await SaveAsync(ct);
        return need;
    }

    /// <summary>Adds a goal under a need of the plan.</summary>
    public async Task<PlanGoal> AddGoalAsync(Actor actor, string familyReference, Guid planVersion, long needId, string description, DateOnly? targetDate, CancellationToken ct = default)
    {
        const string Action = "plan.update";
        var (loaded, plan) = await PlanForEditAsync(actor, familyReference, Action, ct);
        var errors = new List<FieldError>();
        if (!await db.PlanNeeds.AnyAsync(n => n.Id == needId && n.PlanId == plan.Id, ct))
        {
            errors.Add(new FieldError("NeedId", "Choose a need of this plan."));
        }

        Required(errors, "Description", description, "Describe the goal");
        if (errors.Count > 0)
        {
            throw new CaseValidationException(errors);
        }

        Touch(actor, plan, planVersion);
        var goal = new PlanGoal { NeedId = needId, Description = description.Trim(), TargetDate = targetDate };
        db.PlanGoals.Add(goal);
        Audit(actor, Action, loaded.Family.Reference, "goal added");
        await SaveAsync(ct);
        return goal;
    }

    /// <summary>
    /// Adds an action under a goal, owned by a key worker of the team or a partner practitioner in the team
    /// around the family; the action's agency is the owner's agency (or team, for the key worker's team).
    /// </summary>
    public async Task<PlanAction> AddActionAsync(Actor actor, string familyReference, Guid planVersion, long goalId, string description, string ownerUserId, DateOnly? dueDate, CancellationToken ct = default)
    {
        const string Action = "plan.update";
        var (loaded, plan) = await PlanForEditAsync(actor, familyReference, Action, ct);
        var errors = new List<FieldError>();
        var needIds = db.PlanNeeds.Where(n => n.PlanId == plan.Id).Select(n => n.Id);
        if (!await db.PlanGoals.AnyAsync(g => g.Id == goalId && needIds.Contains(g.NeedId), ct))
        {
            errors.Add(new FieldError("GoalId", "Choose a goal of this plan."));
        }

        Required(errors, "Description", description, "Describe the action");
        var owner = string.IsNullOrWhiteSpace(ownerUserId) ? null : await users.FindAsync(ownerUserId, ct);
        string? agency = null;
        if (owner is not null && owner.Active)
        {
            var inTaf = loaded.Team.Any(t => t.RemovedUtc is null && string.Equals(t.UserId, owner.UserId, StringComparison.Ordinal));
            var inTeam = owner.Roles.Contains(HearthRole.KeyWorker) || owner.Roles.Contains(HearthRole.TeamManager)
                ? string.Equals(owner.TeamId, loaded.Case!.TeamId, StringComparison.Ordinal)
                : false;
            agency = inTaf ? loaded.Team.First(t => t.RemovedUtc is null && string.Equals(t.UserId, owner.UserId, StringComparison.Ordinal)).AgencyId
                : inTeam ? owner.AgencyId ?? owner.TeamId : null;
        }

        if (agency is null)
        {
            errors.Add(new FieldError("OwnerUserId", "Choose the action's owner: someone in the key worker's team or in the team around the family."));
        }

        if (dueDate is null)
        {
            errors.Add(new FieldError("DueDate", "Enter the date the action is due."));
        }

        if (errors.Count > 0)
        {
            throw new CaseValidationException(errors);
        }

        Touch(actor, plan, planVersion);
        var action = new PlanAction
        {
            GoalId = goalId,
            PlanId = plan.Id,
            Description = description.Trim(),
            OwnerUserId = owner!.UserId,
            AgencyId = agency!,
            DueDate = dueDate!.Value,
            Status = PlanActionStatus.NotStarted,
            UpdatedUtc = Now,
            UpdatedBy = actor.UserId,
            Version = Guid.NewGuid(),
        };
        db.PlanActions.Add(action);
        Audit(actor, Action, loaded.Family.Reference, "action added");
        await SaveAsync(ct);
        return action;
    }

    /// <summary>
    /// Updates an action's status, progress note and (for the case's editors) due date. Partners update the
    /// actions they own. <paramref name="expectedVersion"/> is the action version the user read: if someone else
    /// saved in between, nothing is saved and <see cref="CaseConflictException"/> is thrown.
    /// </summary>
    public async Task<PlanAction> UpdateActionAsync(Actor actor, string familyReference, long actionId, Guid expectedVersion, PlanActionStatus status, string? progressNote, DateOnly? dueDate, CancellationToken ct = default)
    {
        const string Action = "action.update";
        var loaded = await LoadAsync(actor, familyReference, Action, ct);
        var plan = loaded.Case is null ? null : await db.Plans.SingleOrDefaultAsync(p => p.CaseId == loaded.Case.Id, ct);
        var action = plan is null ? null : await db.PlanActions.SingleOrDefaultAsync(a => a.Id == actionId && a.PlanId == plan.Id, ct);
        if (action is null)
        {
            await DenyAsync(actor, Action, familyReference, "no such action in the family's plan", ct);
            throw new CaseNotFoundException("No such action in this family's plan.");
        }

        if (!CaseAccess.CanUpdateAction(actor, loaded.Access, action))
        {
            await DenyAsync(actor, Action, familyReference, "not the action's owner, key worker or manager", ct);
            throw new CaseForbiddenException("You can update only the actions you own.");
        }

        if (progressNote is { Length: > MaxText })
        {
            throw new CaseValidationException("ProgressNote", "The progress note must be 4,000 characters or fewer.");
        }

        var changed = new List<string>();
        ExpectVersion(action, a => a.Version, expectedVersion, (a, g) => a.Version = g);
        if (action.Status != status)
        {
            action.Status = status;
            changed.Add("status");
        }

        var note = string.IsNullOrWhiteSpace(progressNote) ? null : progressNote.Trim();
        if (!string.Equals(action.ProgressNote, note, StringComparison.Ordinal))
        {
            action.ProgressNote = note;
            changed.Add("progress note");
        }

        if (dueDate is { } due && due != action.DueDate)
        {
            if (!loaded.Access.CanEdit)
            {
                throw new CaseValidationException("DueDate", "Only the key worker or manager can move an action's due date.");
            }

            action.DueDate = due;
            changed.Add("due date");
        }

        action.UpdatedUtc = Now;
        action.UpdatedBy = actor.UserId;
        Audit(actor, Action, loaded.Family.Reference, changed.Count == 0 ? "no change" : string.Join(", ", changed) + " changed");
        await SaveAsync(ct);
        return action;
    }

    /// <summary>Records a plan review and sets the next review date.</summary>
    public async Task<PlanReview> ReviewPlanAsync(Actor actor, string familyReference, Guid planVersion, DateOnly reviewedOn, string summary, DateOnly? nextReviewDue, CancellationToken ct = default)
    {
        const string Action = "plan.review";
        var (loaded, plan) = await PlanForEditAsync(actor, familyReference, Action, ct);
        var errors = new List<FieldError>();
        if (reviewedOn > Today)
        {
            errors.Add(new FieldError("ReviewedOn", "The review date must be today or in the past."));
        }

        Required(errors, "Summary", summary, "Enter what the review found");
        if (nextReviewDue is null || nextReviewDue <= reviewedOn)
        {
            errors.Add(new FieldError("NextReviewDue", "The next review must be after this review."));
        }

        if (errors.Count > 0)
        {
            throw new CaseValidationException(errors);
        }

        Touch(actor, plan, planVersion);
        plan.NextReviewDue = nextReviewDue!.Value;
        var review = new PlanReview { PlanId = plan.Id, ReviewedOn = reviewedOn, Summary = summary.Trim(), NextReviewDue = nextReviewDue.Value, ReviewedBy = actor.UserId };
        db.PlanReviews.Add(review);
        Audit(actor, Action, loaded.Family.Reference);
        await SaveAsync(ct);
        return review;
    }

    /// <summary>Adds a partner practitioner to the team around the family.</summary>
    public async Task<TeamMember> AddTeamMemberAsync(Actor actor, string familyReference, string userId, string role, CancellationToken ct = default)
    {
        const string Action = "team.add";
        var loaded = await LoadForEditAsync(actor, familyReference, Action, ct);
        var errors = new List<FieldError>();
        var user = string.IsNullOrWhiteSpace(userId) ? null : await users.FindAsync(userId, ct);
        if (user is null || !user.Active || !user.Roles.Contains(HearthRole.PartnerPractitioner) || user.AgencyId is null)
        {
            errors.Add(new FieldError("UserId", "Choose an active partner practitioner."));
        }
        else if (loaded.Team.Any(t => t.RemovedUtc is null && t.UserId == user.UserId))
        {
            errors.Add(new FieldError("UserId", "They are already in the team around the family."));
        }

        Required(errors, "Role", role, "Enter their part in the team");
        if (errors.Count > 0)
        {
            throw new CaseValidationException(errors);
        }

        var member = new TeamMember { CaseId = loaded.Case!.Id, UserId = user!.UserId, AgencyId = user.AgencyId!, Role = role.Trim(), AddedUtc = Now };
        db.TeamMembers.Add(member);
        Audit(actor, Action, loaded.Family.Reference, "partner practitioner added");
        await SaveAsync(ct);
        return member;
    }

    /// <summary>Removes a partner practitioner from the team around the family; their access ends at once.</summary>
    public async Task RemoveTeamMemberAsync(Actor actor, string familyReference, long teamMemberId, CancellationToken ct = default)
    {
        const string Action = "team.remove";
        var loaded = await LoadForEditAsync(actor, familyReference, Action, ct);
        var member = loaded.Team.FirstOrDefault(t => t.Id == teamMemberId && t.RemovedUtc is null)
            ?? throw new CaseValidationException("TeamMemberId", "Choose someone in the team around the family.");
        member.RemovedUtc = Now;
        Audit(actor, Action, loaded.Family.Reference, "partner practitioner removed");
        await SaveAsync(ct);
    }

    /// <summary>Sets a member's lead professional: the key worker or a practitioner in the team around the family.</summary>
    public async Task SetLeadProfessionalAsync(Actor actor, string familyReference, string personReference, string userId, CancellationToken ct = default)
    {
        const string Action = "lead-professional.set";
        var loaded = await LoadForEditAsync(actor, familyReference, Action, ct);
        var members = await MembersAsync(loaded.Family.Id, ct);
        var person = members.FirstOrDefault(m => m.Reference == personReference)
            ?? throw new CaseValidationException("PersonReference", "Choose a member of this family.");
        var taf = loaded.Team.FirstOrDefault(t => t.RemovedUtc is null && t.UserId == userId);
        string? agency = taf?.AgencyId;
        if (agency is null && string.Equals(userId, loaded.Case!.KeyWorkerId, StringComparison.Ordinal))
        {
            agency = loaded.Case.TeamId;
        }

        if (agency is null)
        {
            throw new CaseValidationException("UserId", "Choose the key worker or someone in the team around the family.");
        }

        var existing = await db.LeadProfessionals.SingleOrDefaultAsync(l => l.CaseId == loaded.Case!.Id && l.PersonId == person.PersonId, ct);
        if (existing is null)
        {
            db.LeadProfessionals.Add(new LeadProfessional { CaseId = loaded.Case!.Id, PersonId = person.PersonId, UserId = userId, AgencyId = agency });
        }
        else
        {
            existing.UserId = userId;
            existing.AgencyId = agency;
        }

        Audit(actor, Action, loaded.Family.Reference, "lead professional set for a member");
        await SaveAsync(ct);
    }

    /// <summary>Adds a case note. Partners' notes carry their agency; only the key worker's team marks notes as shared.</summary>
    public async Task<CaseNote> AddNoteAsync(Actor actor, string familyReference, string? personReference, string text, bool shareWithTeam, CancellationToken ct = default)
    {
        const string Action = "note.add";
        var loaded = await LoadAsync(actor, familyReference, Action, ct);
        if (!CaseAccess.CanAddNote(loaded.Access) || loaded.Case is null)
        {
            await DenyAsync(actor, Action, familyReference, "cannot add notes", ct);
            throw new CaseForbiddenException("You cannot add notes to this family's case.");
        }

        var errors = new List<FieldError>();
        Required(errors, "Text", text, "Enter the note");
        long? personId = null;
        if (!string.IsNullOrWhiteSpace(personReference))
        {
            var members = await MembersAsync(loaded.Family.Id, ct);
            var person = members.FirstOrDefault(m => m.Reference == personReference);
            if (person is null || (loaded.Access.Level == CaseAccessLevel.Partner && !loaded.Access.CanSeePerson(person.PersonId)))
            {
                errors.Add(new FieldError("PersonReference", "Choose a member of this family, or the whole family."));
            }
            else
            {
                personId = person.PersonId;
            }
        }

        if (errors.Count > 0)
        {
            throw new CaseValidationException(errors);
        }

        var partner = loaded.Access.Level == CaseAccessLevel.Partner;
        var note = new CaseNote
        {
            CaseId = loaded.Case.Id,
            PersonId = personId,
            Text = text.Trim(),
            WrittenBy = actor.UserId,
            AuthorAgencyId = partner ? loaded.Access.PartnerAgency : null,
            SharedWithTeam = !partner && shareWithTeam,
            WrittenUtc = Now,
        };
        db.CaseNotes.Add(note);
        Audit(actor, Action, loaded.Family.Reference, personId is null ? "note about the family" : "note about a member");
        await SaveAsync(ct);
        return note;
    }

    /// <summary>Closes the case with a reason. <paramref name="expectedVersion"/> is the case version the user read.</summary>
    public async Task<FamilyCase> CloseAsync(Actor actor, string familyReference, Guid expectedVersion, ClosureReason? reason, DateOnly? closedOn, string? note, CancellationToken ct = default)
    {
        const string Action = "case.close";
        var loaded = await LoadForEditAsync(actor, familyReference, Action, ct);
        var c = loaded.Case!;
        var errors = new List<FieldError>();
        if (reason is null)
        {
            errors.Add(new FieldError("Reason", "Select why the case is closing."));
        }

        if (closedOn is null || closedOn > Today)
        {
            errors.Add(new FieldError("ClosedOn", "Enter the closure date: today or in the past."));
        }

        if (reason == ClosureReason.Other && string.IsNullOrWhiteSpace(note))
        {
            errors.Add(new FieldError("Note", "Say why the case is closing."));
        }

        if (note is { Length: > MaxText })
        {
            errors.Add(new FieldError("Note", "The note must be 4,000 characters or fewer."));
        }

        if (errors.Count > 0)
        {
            throw new CaseValidationException(errors);
        }

        var rule = CaseTransitions.Check(c.Status, CaseStatus.Closed, c.TeamId, c.KeyWorkerId, reason);
        if (!rule.Allowed)
        {
            throw new CaseValidationException(string.Empty, rule.Explanation);
        }

        ExpectVersion(c, x => x.Version, expectedVersion, (x, g) => x.Version = g);
        c.Status = CaseStatus.Closed;
        c.ClosedOn = closedOn;
        c.ClosureReason = reason;
        c.ClosureNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        Audit(actor, Action, loaded.Family.Reference, "closed: " + CaseTransitions.Describe(reason!.Value));
        await SaveAsync(ct);
        return c;
    }

    // ---------------------------------------------------------------- helpers

    private async Task<(Loaded Loaded, FamilyPlan Plan)> PlanForEditAsync(Actor actor, string familyReference, string action, CancellationToken ct)
    {
        var loaded = await LoadForEditAsync(actor, familyReference, action, ct);
        var plan = await db.Plans.SingleOrDefaultAsync(p => p.CaseId == loaded.Case!.Id, ct)
            ?? throw new CaseValidationException(string.Empty, "The family has no plan yet: create the plan first.");
        return (loaded, plan);
    }

    private void Touch(Actor actor, FamilyPlan plan, Guid expectedVersion)
    {
        ExpectVersion(plan, p => p.Version, expectedVersion, (p, g) => p.Version = g);
        plan.UpdatedUtc = Now;
        plan.UpdatedBy = actor.UserId;
    }

    private static void Required(List<FieldError> errors, string field, string? value, string message)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new FieldError(field, message + "."));
        }
        else if (value.Length > MaxText)
        {
            errors.Add(new FieldError(field, $"{message} in 4,000 characters or fewer."));
        }
    }

    private sealed record MemberFacts(long PersonId, string Reference, FamilyRole Role, DateOnly? DateOfBirth);

    private async Task<List<MemberFacts>> MembersAsync(long familyId, CancellationToken ct)
    {
        var today = Today;
        var rows = await (from m in db.FamilyMembers
                          join p in db.Persons on m.PersonId equals p.Id
                          where m.FamilyId == familyId && (m.To == null || m.To >= today)
                          select new { m.PersonId, p.Reference, m.Role }).ToListAsync(ct);
        var ids = rows.Select(r => r.PersonId).ToList();
        var records = await (from r in db.PersonRecords
                             join s in db.SourceRecords on r.SourceRecordId equals s.Id
                             where ids.Contains(r.PersonId)
                             select new { r.PersonId, Record = s }).ToListAsync(ct);
        return rows.Select(r => new MemberFacts(r.PersonId, r.Reference, r.Role,
            PersonDetails.DateOfBirth(records.Where(x => x.PersonId == r.PersonId).Select(x => x.Record).ToList()))).ToList();
    }
}
