using System.Globalization;
using System.Text.Json;

namespace Hearth.Core.Programmes;

/// <summary>A problem with one value in an input file: where it is and why it cannot be used.</summary>
public sealed record InputProblem(string File, string Path, string Reason)
{
    public override string ToString() => $"{File}: {Path}: {Reason}";
}

/// <summary>The families, events and coverage read from an input file.</summary>
public sealed record ProgrammeInput(ProgrammeDataCoverage Coverage, IReadOnlyList<ProgrammeFamilyData> Families, IReadOnlyList<InputProblem> Problems);

/// <summary>
/// Reads the JSON input file the <c>hearth identify</c> command takes until the store adapter exists (format in
/// docs/programmes.md). Every bad value is reported with its path (e.g. <c>families[3].events[2].type</c>); a family
/// with a bad value is left out whole rather than evaluated on partial data, and is listed in the problems.
/// </summary>
public static class ProgrammeInputFile
{
    public static ProgrammeInput Read(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static ProgrammeInput Parse(string json, string fileName)
    {
        var problems = new List<InputProblem>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            problems.Add(new InputProblem(fileName, $"line {(ex.LineNumber + 1)?.ToString(CultureInfo.InvariantCulture)}", "not valid JSON: " + ex.Message));
            return new ProgrammeInput(new ProgrammeDataCoverage(), [], problems);
        }

        using (doc)
        {
            var root = doc.RootElement;
            var coverage = new ProgrammeDataCoverage();
            if (root.TryGetProperty("coverage", out var cov) && cov.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in cov.EnumerateObject())
                {
                    var period = ReadPeriod(p.Value, $"coverage.{p.Name}", fileName, problems);
                    if (period is null)
                    {
                        continue;
                    }

                    if (p.Name == "all")
                    {
                        foreach (var t in Enum.GetValues<EventType>())
                        {
                            coverage.Set(t, period.Value);
                        }
                    }
                    else if (EventSchema.TryParse(p.Name, out var type))
                    {
                        coverage.Set(type, period.Value);
                    }
                    else
                    {
                        problems.Add(new InputProblem(fileName, $"coverage.{p.Name}", $"unknown event type (known: all, {string.Join(", ", EventSchema.TypeNames)})"));
                    }
                }
            }
            else
            {
                problems.Add(new InputProblem(fileName, "coverage", "missing: say which period each source covers, or every rule over events is unknown"));
            }

            var families = new List<ProgrammeFamilyData>();
            if (!root.TryGetProperty("families", out var fams) || fams.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new InputProblem(fileName, "families", "missing: expected a list of families"));
                return new ProgrammeInput(coverage, families, problems);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var i = 0;
            foreach (var f in fams.EnumerateArray())
            {
                var before = problems.Count;
                var path = $"families[{i.ToString(CultureInfo.InvariantCulture)}]";
                var family = ReadFamily(f, path, fileName, problems, out var events);
                if (family is not null && !seen.Add(family.FamilyId))
                {
                    problems.Add(new InputProblem(fileName, path + ".family_id", $"family {family.FamilyId} appears twice"));
                }

                if (family is not null && problems.Count == before)
                {
                    families.Add(new ProgrammeFamilyData(family, events, coverage));
                }

                i++;
            }

            return new ProgrammeInput(coverage, families, problems);
        }
    }

    private static ProgrammeFamily? ReadFamily(JsonElement f, string path, string file, List<InputProblem> problems, out List<ProgrammeEvent> events)
    {
        events = [];
        var id = Str(f, "family_id", path, file, problems, required: true);
        var members = new List<ProgrammeMember>();
        var personIds = new HashSet<string>(StringComparer.Ordinal);
        if (f.TryGetProperty("members", out var ms) && ms.ValueKind == JsonValueKind.Array)
        {
            var j = 0;
            foreach (var m in ms.EnumerateArray())
            {
                var mp = $"{path}.members[{j++.ToString(CultureInfo.InvariantCulture)}]";
                var pid = Str(m, "person_id", mp, file, problems, required: true);
                var roleText = Str(m, "role", mp, file, problems, required: true);
                MemberRole? role = roleText switch
                {
                    "adult" => MemberRole.Adult,
                    "child" => MemberRole.Child,
                    "expectant_parent" => MemberRole.ExpectantParent,
                    null => null,
                    _ => null,
                };
                if (roleText is not null && role is null)
                {
                    problems.Add(new InputProblem(file, mp + ".role", $"'{roleText}' is not adult, child or expectant_parent"));
                }

                if (pid is not null && !personIds.Add(pid))
                {
                    problems.Add(new InputProblem(file, mp + ".person_id", "the same person is listed twice in the family"));
                }

                if (pid is not null && role is not null)
                {
                    members.Add(new ProgrammeMember(pid, role.Value, Date(m, "date_of_birth", mp, file, problems), Str(m, "sex", mp, file, problems, false),
                        Date(m, "member_from", mp, file, problems), Date(m, "member_to", mp, file, problems)));
                }
            }
        }
        else
        {
            problems.Add(new InputProblem(file, path + ".members", "missing: expected a list of members"));
        }

        if (f.TryGetProperty("events", out var es) && es.ValueKind == JsonValueKind.Array)
        {
            var k = 0;
            foreach (var e in es.EnumerateArray())
            {
                var ep = $"{path}.events[{k++.ToString(CultureInfo.InvariantCulture)}]";
                var pid = Str(e, "person_id", ep, file, problems, true);
                var typeText = Str(e, "type", ep, file, problems, true);
                var start = Date(e, "start", ep, file, problems);
                if (start is null)
                {
                    problems.Add(new InputProblem(file, ep + ".start", "missing"));
                }

                if (typeText is not null && !EventSchema.TryParse(typeText, out _))
                {
                    problems.Add(new InputProblem(file, ep + ".type", $"unknown event type '{typeText}' (known: {string.Join(", ", EventSchema.TypeNames)})"));
                    continue;
                }

                if (pid is not null && !personIds.Contains(pid))
                {
                    problems.Add(new InputProblem(file, ep + ".person_id", "not a member of this family"));
                }

                if (pid is null || typeText is null || start is null || !EventSchema.TryParse(typeText, out var type))
                {
                    continue;
                }

                var ev = new ProgrammeEvent
                {
                    PersonId = pid,
                    Type = type,
                    Start = start.Value,
                    End = Date(e, "end", ep, file, problems),
                    Code = Str(e, "code", ep, file, problems, false),
                    Category = Str(e, "category", ep, file, problems, false),
                    Outcome = Str(e, "outcome", ep, file, problems, false),
                    SessionsPossible = Int(e, "sessions_possible", ep, file, problems),
                    AuthorisedAbsence = Int(e, "authorised_absence", ep, file, problems),
                    UnauthorisedAbsence = Int(e, "unauthorised_absence", ep, file, problems),
                    Days = Int(e, "days", ep, file, problems),
                    AmountPence = Long(e, "amount_pence", ep, file, problems),
                    Source = new SourceReference(Str(e, "dataset", ep, file, problems, true) ?? "?", Int(e, "row", ep, file, problems) ?? 0),
                };
                if (EventSchema.Validate(ev) is { } reason)
                {
                    problems.Add(new InputProblem(file, ep, reason));
                    continue;
                }

                events.Add(ev);
            }
        }

        if (id is null)
        {
            return null;
        }

        bool? Flag(string name)
        {
            if (!f.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return v.GetBoolean();
            }

            problems.Add(new InputProblem(file, $"{path}.{name}", "expected true, false or null"));
            return null;
        }

        return new ProgrammeFamily(id, members, Date(f, "attachment_date", path, file, problems), Date(f, "closure_date", path, file, problems),
            Flag("key_worker"), Flag("assessment_done"), Flag("plan_covers_needs"), Str(f, "cohort", path, file, problems, false));
    }

    private static DatePeriod? ReadPeriod(JsonElement e, string path, string file, List<InputProblem> problems)
    {
        var from = Date(e, "from", path, file, problems);
        var to = Date(e, "to", path, file, problems);
        if (from is null || to is null || to < from)
        {
            problems.Add(new InputProblem(file, path, "expected {\"from\": \"yyyy-mm-dd\", \"to\": \"yyyy-mm-dd\"} with to on or after from"));
            return null;
        }

        return new DatePeriod(from.Value, to.Value);
    }

    private static string? Str(JsonElement e, string name, string path, string file, List<InputProblem> problems, bool required)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null)
        {
            if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
            {
                return s;
            }

            problems.Add(new InputProblem(file, $"{path}.{name}", "expected non-empty text"));
            return null;
        }

        if (required)
        {
            problems.Add(new InputProblem(file, $"{path}.{name}", "missing"));
        }

        return null;
    }

    private static DateOnly? Date(JsonElement e, string name, string path, string file, List<InputProblem> problems)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(v.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        problems.Add(new InputProblem(file, $"{path}.{name}", $"'{v}' is not a date like 2025-03-31"));
        return null;
    }

    private static long? Long(JsonElement e, string name, string path, string file, List<InputProblem> problems)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
        {
            return n;
        }

        problems.Add(new InputProblem(file, $"{path}.{name}", $"'{v}' is not a whole number of pence"));
        return null;
    }

    private static int? Int(JsonElement e, string name, string path, string file, List<InputProblem> problems)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n))
        {
            return n;
        }

        problems.Add(new InputProblem(file, $"{path}.{name}", $"'{v}' is not a whole number"));
        return null;
    }
}
