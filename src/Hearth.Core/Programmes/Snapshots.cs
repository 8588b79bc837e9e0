using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Core.Programmes;

/// <summary>An event copied by value into frozen evidence: later corrections to the source do not change it.</summary>
public sealed record EventRecord(
    string PersonId,
    string Type,
    DateOnly Start,
    DateOnly? End,
    string? Code,
    string? Category,
    string? Outcome,
    int? SessionsPossible,
    int? AuthorisedAbsence,
    int? UnauthorisedAbsence,
    int? Days,
    long? AmountPence,
    string Dataset,
    int Row)
{
    public static EventRecord From(ProgrammeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.PersonId, EventSchema.NameOf(e.Type), e.Start, e.End, e.Code, e.Category, e.Outcome, e.SessionsPossible,
            e.AuthorisedAbsence, e.UnauthorisedAbsence, e.Days, e.AmountPence, e.Source.DatasetId, e.Source.Row);
    }
}

/// <summary>One piece of evidence copied by value: what was measured, over which window, with what result.</summary>
public sealed record EvidenceRecord(
    string Kind,
    string Expression,
    string? PersonId,
    string? Window,
    DateOnly? PeriodStart,
    DateOnly? PeriodEnd,
    string Value,
    string? Comparison,
    string? Threshold,
    string Outcome,
    string? UnknownReason,
    IReadOnlyList<EventRecord> Events)
{
    public static EvidenceRecord From(Evidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Kind.ToString().ToLowerInvariant(), e.Expression, e.PersonId, string.IsNullOrEmpty(e.Window) ? null : e.Window,
            e.Period?.Start, e.Period?.End, e.Value, e.Comparison, e.Threshold, e.Outcome.Word(), e.UnknownReason,
            [.. e.Events.Select(EventRecord.From)]);
    }

    public static IReadOnlyList<EvidenceRecord> From(IEnumerable<Evidence> evidence) => [.. evidence.Select(From)];
}

/// <summary>
/// One need raised at attachment, for one member (or the household), with the values that raised it. The
/// evidence is copied into records when first read: the events it refers to are immutable, so the copy is the
/// same whenever it is made.
/// </summary>
public sealed class BaselineNeed
{
    private readonly Lazy<IReadOnlyList<EvidenceRecord>> _evidence;

    [JsonConstructor]
    public BaselineNeed(string needId, string headlineId, string? personId, IReadOnlyList<EvidenceRecord> evidence)
    {
        NeedId = needId;
        HeadlineId = headlineId;
        PersonId = personId;
        _evidence = new(evidence);
    }

    internal BaselineNeed(string needId, string headlineId, string? personId, IReadOnlyList<Evidence> live)
    {
        NeedId = needId;
        HeadlineId = headlineId;
        PersonId = personId;
        _evidence = new(() => EvidenceRecord.From(live));
    }

    public string NeedId { get; }

    public string HeadlineId { get; }

    public string? PersonId { get; }

    public IReadOnlyList<EvidenceRecord> Evidence => _evidence.Value;
}

/// <summary>
/// The needs a family had on its attachment date, frozen: outcome measurement compares against this snapshot,
/// not against whatever the data says about the past today.
/// </summary>
public sealed record BaselineSnapshot(
    string FamilyId,
    string FrameworkId,
    string FrameworkVersion,
    string FrameworkHash,
    DateOnly AttachmentDate,
    string Eligible,
    IReadOnlyList<BaselineNeed> Needs)
{
    internal static BaselineSnapshot From(IdentificationResult id)
    {
        var needs = new List<BaselineNeed>();
        foreach (var n in id.Needs)
        {
            foreach (var m in n.Members.Where(m => m.Truth == Truth.True))
            {
                needs.Add(new BaselineNeed(n.Need.Id, n.Need.HeadlineId, m.PersonId, m.Evidence));
            }
        }

        return new BaselineSnapshot(id.FamilyId, id.Framework.Id, id.Framework.Version, id.Framework.ContentHash, id.AsOf, id.Eligible.Word(), needs);
    }

    public string ToJson() => JsonSerializer.Serialize(this, ProgrammeJson.Options);

    public static BaselineSnapshot FromJson(string json) =>
        JsonSerializer.Deserialize<BaselineSnapshot>(json, ProgrammeJson.Options) ?? throw new JsonException("empty baseline");
}

/// <summary>JSON settings shared by frozen evidence, claims and the CLI's input files.</summary>
public static class ProgrammeJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Files for auditors: keep > < & and £ readable; these files are never embedded in HTML or script.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    internal static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
