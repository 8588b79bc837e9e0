using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Finance.Profiles;

/// <summary>A family's attachment date for splitting its costs before and after, and where the date came from.</summary>
public sealed record AttachmentDate(DateOnly Date, string Source);

/// <summary>
/// Attachment dates from the store: a family's programme attachment (the earliest, when it is attached under more
/// than one scheme), otherwise the date its case was first allocated to a key worker (UTC date). Families with
/// neither have no date, and their costs are not split.
/// </summary>
public static class AttachmentDates
{
    /// <summary>Dates for every family that has one, keyed by family reference.</summary>
    public static async Task<IReadOnlyDictionary<string, AttachmentDate>> LoadAsync(HearthDb db, string? familyReference = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var families = db.Families.AsNoTracking();
        if (familyReference is not null)
        {
            families = families.Where(f => f.Reference == familyReference);
        }

        var attachments = await (from a in db.ProgrammeAttachments.AsNoTracking()
                                 join f in families on a.FamilyId equals f.Id
                                 select new { f.Reference, a.AttachedOn, a.Scheme }).ToListAsync(cancellationToken);
        var allocations = await (from c in db.Cases.AsNoTracking()
                                 join f in families on c.FamilyId equals f.Id
                                 where c.AllocatedUtc != null
                                 select new { f.Reference, Allocated = c.AllocatedUtc!.Value }).ToListAsync(cancellationToken);

        var dates = new Dictionary<string, AttachmentDate>(StringComparer.Ordinal);
        foreach (var g in allocations.GroupBy(a => a.Reference, StringComparer.Ordinal))
        {
            var first = g.Min(a => a.Allocated);
            dates[g.Key] = new AttachmentDate(DateOnly.FromDateTime(first), "case allocation");
        }

        // A programme attachment wins over a case allocation.
        foreach (var g in attachments.GroupBy(a => a.Reference, StringComparer.Ordinal))
        {
            var first = g.OrderBy(a => a.AttachedOn).ThenBy(a => a.Scheme, StringComparer.Ordinal).First();
            dates[g.Key] = new AttachmentDate(first.AttachedOn, $"programme attachment ({first.Scheme})");
        }

        return dates;
    }
}
