using System.Globalization;
using Hearth.Core.Identifiers;

namespace Hearth.Core.Linkage;

/// <summary>What auto-configuration decided about one column, and why.</summary>
public sealed record ColumnRole(string Column, string Role, ColumnType? Type, string Reason);

/// <summary>Auto-configuration's result: the settings and the reasoning per column and blocking rule.</summary>
public sealed record AutoConfiguration(LinkageSettings Settings, IReadOnlyList<ColumnRole> Roles, IReadOnlyList<string> Notes, FieldStore Fields);

/// <summary>
/// Configures a linkage run from the data alone. Columns are recognised by name (given name, surname, full
/// name, date of birth, sex, address lines, town, postcode, NHS number, NI number, UPN, other identifiers)
/// and, where the name says nothing, by profiling a sample of values (dates, postcodes, valid NHS numbers
/// and NI numbers, mostly-unique codes, small code sets). Comparisons follow from each column's role;
/// blocking rules are chosen from a list of candidates by how many pairs each would make, tightening a
/// rule that would make too many.
/// </summary>
public static class AutoConfigure
{
    private static readonly (string Role, string[] Names)[] NamePatterns =
    [
        ("first_name", ["givenname", "firstname", "forename", "forenames", "fname", "first", "given", "christianname"]),
        ("surname", ["surname", "lastname", "familyname", "lname", "sname", "last", "family"]),
        ("full_name", ["name", "fullname", "personname", "clientname", "childname", "patientname"]),
        ("middle_name", ["middlename", "middlenames", "othernames"]),
        ("date_of_birth", ["dob", "dateofbirth", "birthdate", "datebirth", "born", "birthday", "dobddmmyyyy"]),
        ("sex", ["sex", "gender"]),
        ("postcode", ["postcode", "postalcode", "zip", "zipcode", "pcode", "postcodeofresidence"]),
        ("nhs_number", ["nhsnumber", "nhsno", "nhs", "nhsnum"]),
        ("nino", ["nino", "ninumber", "nationalinsurancenumber", "nationalinsurance", "nino1"]),
        ("upn", ["upn", "uniquepupilnumber", "pupilnumber"]),
        ("identifier", ["socsecid", "ssn", "socialsecuritynumber", "socialsecurityid", "personid", "clientid", "uprn"]),
        ("street_number", ["streetnumber", "housenumber", "houseno", "buildingnumber", "streetno"]),
        ("address", ["address", "address1", "address2", "address3", "addressline1", "addressline2", "addressline3", "street", "addr1", "addr2", "line1", "line2"]),
        ("town", ["town", "city", "suburb", "locality", "posttown", "village"]),
        ("region", ["state", "county", "region"]),
    ];

    /// <summary>
    /// Chooses columns, comparisons and blocking rules for <paramref name="left"/> (and <paramref name="right"/>
    /// when linking). <paramref name="exclude"/> lists columns to leave out (e.g. a label column).
    /// </summary>
    public static AutoConfiguration Configure(LinkageTable left, LinkageTable? right, IReadOnlyCollection<string>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(left);
        var store = new FieldStore(left, right);
        var roles = new List<ColumnRole>();
        var notes = new List<string>();
        var skip = new HashSet<string>(exclude ?? [], StringComparer.Ordinal);
        foreach (var column in left.ColumnNames)
        {
            if (skip.Contains(column))
            {
                roles.Add(new ColumnRole(column, "ignored", null, "excluded (label or id column)"));
                continue;
            }

            if (right is not null && !right.HasColumn(column))
            {
                roles.Add(new ColumnRole(column, "ignored", null, "not in the right-hand file"));
                continue;
            }

            roles.Add(Recognise(column, Sample(left, right, column)));
        }

        var columns = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        var comparisons = new List<ComparisonSettings>();
        string? first = null, surname = null, dob = null, postcode = null, sex = null, town = null, streetNumber = null;
        var identifiers = new List<string>();
        var guard = new List<string>();
        foreach (var role in roles)
        {
            if (role.Type is not { } type)
            {
                continue;
            }

            var c = role.Column;
            columns[c] = type;
            switch (role.Role)
            {
                case "first_name":
                    first ??= c;
                    comparisons.Add(NameComparison(c, c, "forename"));
                    break;
                case "surname":
                    surname ??= c;
                    comparisons.Add(NameComparison(c, c, "surname"));
                    break;
                case "full_name":
                    first ??= c + ":first_token";
                    surname ??= c + ":last_token";
                    comparisons.Add(NameComparison(c + "_first", c + ":first_token", "forename"));
                    comparisons.Add(NameComparison(c + "_last", c + ":last_token", "surname"));
                    notes.Add($"'{c}' holds whole names: its first word is compared as a first name and its last word as a surname.");
                    break;
                case "middle_name":
                    comparisons.Add(Compare(c, c, ["exact", "first_token", "jaro_winkler 0.88"]));
                    break;
                case "date_of_birth":
                    dob ??= c;
                    comparisons.Add(Compare(c, c, ["exact", "damerau_levenshtein 1", "swapped_day_month", "within_years 1", "within_years 10"]));
                    break;
                case "sex":
                    sex ??= c;
                    comparisons.Add(Compare(c, c, ["exact"]));
                    break;
                case "postcode":
                    postcode ??= c;
                    comparisons.Add(Compare(c, c, ["exact", "sector", "damerau_levenshtein 1", "outward"]));
                    break;
                case "nhs_number" or "nino" or "upn" or "identifier":
                    identifiers.Add(c);
                    comparisons.Add(Compare(c, c, ["exact", "transposed", "damerau_levenshtein 1"]));
                    if (role.Role is "nhs_number" or "nino")
                    {
                        guard.Add(c);
                    }

                    break;
                case "street_number":
                    streetNumber ??= c;
                    comparisons.Add(Compare(c, c, ["exact", "damerau_levenshtein 1"]));
                    break;
                case "address" or "text":
                    comparisons.Add(Compare(c, c, ["exact", "jaro_winkler 0.92", "jaro_winkler 0.8"]));
                    break;
                case "town":
                    town ??= c;
                    comparisons.Add(Compare(c, c, ["exact", "jaro_winkler 0.92", "jaro_winkler 0.8"]));
                    break;
                case "category" or "region":
                    comparisons.Add(Compare(c, c, ["exact"]));
                    break;
                default:
                    break;
            }
        }

        if (comparisons.Count == 0)
        {
            throw new LinkageInputException($"{left.Name}: no column looks like person data (names, dates of birth, addresses, identifiers); write a configuration with --config.");
        }

        // Candidate blocking rules, strongest evidence first; each is checked against a pair budget.
        var candidates = new List<List<string>>();
        void Candidate(params string?[] keys)
        {
            if (keys.All(k => k is not null))
            {
                candidates.Add([.. keys.Select(k => k!)]);
            }
        }

        foreach (var id in identifiers)
        {
            Candidate(id);
        }

        Candidate(first, surname);
        Candidate(dob);
        Candidate(surname is null ? null : surname + ":metaphone", dob is null ? null : Year(dob));
        Candidate(first is null ? null : first + ":metaphone", dob is null ? null : Year(dob));
        Candidate(postcode, first is null ? null : first + ":prefix1");
        Candidate(postcode, surname is null ? null : surname + ":prefix1");
        Candidate(town, surname is null ? null : surname + ":metaphone");
        Candidate(postcode, streetNumber);
        Candidate(town, streetNumber);
        if (dob is null)
        {
            Candidate(first is null ? null : first + ":metaphone", surname is null ? null : surname + ":metaphone");
            Candidate(postcode);
        }

        var refiners = new List<string>();
        foreach (var r in new[] { first is null ? null : first + ":prefix1", surname is null ? null : surname + ":prefix1", sex, dob is null ? null : Year(dob) })
        {
            if (r is not null)
            {
                refiners.Add(r);
            }
        }

        var n = right is null ? left.Count : Math.Max(left.Count, right.Count);
        store.Prefetch(candidates.SelectMany(c => c).Concat(refiners).Select(k => FieldRef.Parse(k).Column).Distinct()
            .Select(c => (c, columns[c], false)));
        long budget = Math.Max(250_000, 8L * n);
        // Count (and tighten) the candidates in parallel; the order of the result stays the candidates' order.
        var chosen = new (List<string> Rule, long Count)[candidates.Count];
        Parallel.For(0, candidates.Count, i =>
        {
            var rule = new List<string>(candidates[i]);
            var count = PairCount(store, columns, rule, left.Count, right is not null);
            foreach (var refiner in refiners)
            {
                if (count <= budget)
                {
                    break;
                }

                if (rule.Contains(refiner))
                {
                    continue;
                }

                rule.Add(refiner);
                count = PairCount(store, columns, rule, left.Count, right is not null);
            }

            chosen[i] = (rule, count);
        });
        var blocking = new List<IReadOnlyList<string>>();
        foreach (var (rule, count) in chosen)
        {
            var text = string.Join(" & ", rule);
            if (count > budget)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"blocking on {text} left out: {count:N0} pairs is over the budget of {budget:N0}."));
                continue;
            }

            if (blocking.Any(b => b.SequenceEqual(rule)))
            {
                continue;
            }

            blocking.Add(rule);
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"blocking on {text}: {count:N0} pairs."));
        }

        if (blocking.Count == 0)
        {
            throw new LinkageInputException("No blocking rule keeps the number of pairs within budget; write a configuration with --config.");
        }

        var settings = new LinkageSettings
        {
            Columns = columns,
            Comparisons = comparisons,
            Blocking = blocking,
            MustNotConflict = guard,
            Training = new TrainingSettings { USamplePairs = (int)Math.Clamp(2L * n, 200_000, 500_000) },
        };
        return new AutoConfiguration(settings, roles, notes, store);

        static string Year(string dob) => FieldRef.Parse(dob).Column + ":year";
    }

    private static ComparisonSettings NameComparison(string name, string field, string table) => new()
    {
        Name = name,
        Field = field,
        Levels = [.. new[] { "exact", "variant " + table, "jaro_winkler 0.92", "metaphone", "jaro_winkler 0.8" }.Select(Level)],
        TermFrequency = true,
    };

    private static ComparisonSettings Compare(string name, string field, string[] levels) => new()
    {
        Name = name,
        Field = field,
        Levels = [.. levels.Select(Level)],
    };

    private static LevelSpec Level(string text) => LevelSpec.Parse(text, out _);

    private static long PairCount(FieldStore store, Dictionary<string, ColumnType> columns, List<string> rule, int leftCount, bool isLink)
    {
        var key = string.Join(" & ", rule.Select(k => FieldRef.Parse(k)).Select(f => $"{f}|{columns[f.Column]}"));
        var block = store.Block(key, () => [.. rule.Select(k => FieldRef.Parse(k)).Select(f => store.Get(f.Column, columns[f.Column], f.Transform))]);
        return block.Pairs(leftCount, isLink);
    }

    private static List<string> Sample(LinkageTable left, LinkageTable? right, string column)
    {
        var result = new List<string>();
        foreach (var t in new[] { left, right })
        {
            if (t is null)
            {
                continue;
            }

            var values = t.Column(column);
            var step = Math.Max(1, values.Length / 2000);
            for (var i = 0; i < values.Length; i += step)
            {
                if (!string.IsNullOrWhiteSpace(values[i]))
                {
                    result.Add(values[i]!);
                }
            }
        }

        return result;
    }

    /// <summary>The role of one column, from its name first and then from its values.</summary>
    public static ColumnRole Recognise(string column, IReadOnlyList<string> sample)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(sample);
        var key = new string([.. column.ToLowerInvariant().Where(char.IsLetterOrDigit)]);
        if (sample.Count == 0)
        {
            return new ColumnRole(column, "ignored", null, "no values");
        }

        double Share(Func<string, bool> test) => sample.Count(test) / (double)sample.Count;
        var alpha = Share(v => v.Any(char.IsLetter) && !v.Any(char.IsDigit));
        foreach (var (role, names) in NamePatterns)
        {
            if (!names.Contains(key))
            {
                continue;
            }

            switch (role)
            {
                case "first_name" or "surname" or "full_name" or "middle_name" when alpha >= 0.6:
                    return new ColumnRole(column, role, ColumnType.Name, $"name '{column}', {alpha:P0} of values alphabetic");
                case "date_of_birth":
                    return new ColumnRole(column, role, ColumnType.Date, $"name '{column}'");
                case "sex":
                    return new ColumnRole(column, role, ColumnType.Category, $"name '{column}'");
                case "postcode":
                    return new ColumnRole(column, role, ColumnType.Postcode, $"name '{column}'");
                case "nhs_number":
                    return new ColumnRole(column, role, ColumnType.NhsNumber, $"name '{column}'");
                case "nino":
                    return new ColumnRole(column, role, ColumnType.Nino, $"name '{column}'");
                case "upn" or "identifier":
                    return new ColumnRole(column, role, ColumnType.Identifier, $"name '{column}'");
                case "street_number":
                    return new ColumnRole(column, role, ColumnType.Text, $"name '{column}'");
                case "address" or "town":
                    return new ColumnRole(column, role, ColumnType.Text, $"name '{column}'");
                case "region":
                    return new ColumnRole(column, role, ColumnType.Category, $"name '{column}'");
                default:
                    break;
            }
        }

        // Nothing in the name: profile the values.
        var dates = Share(v => Standardise.Date(v) is { Valid: true });
        if (dates >= 0.8)
        {
            return new ColumnRole(column, key.Contains("birth", StringComparison.Ordinal) || key.Contains("dob", StringComparison.Ordinal) ? "date_of_birth" : "date", ColumnType.Date, $"{dates:P0} of values are dates");
        }

        var postcodes = Share(Postcode.IsValid);
        if (postcodes >= 0.8)
        {
            return new ColumnRole(column, "postcode", ColumnType.Postcode, $"{postcodes:P0} of values are UK postcodes");
        }

        var nhs = Share(NhsNumber.IsValid);
        if (nhs >= 0.8)
        {
            return new ColumnRole(column, "nhs_number", ColumnType.NhsNumber, $"{nhs:P0} of values are valid NHS numbers");
        }

        var nino = Share(NationalInsuranceNumber.IsValid);
        if (nino >= 0.8)
        {
            return new ColumnRole(column, "nino", ColumnType.Nino, $"{nino:P0} of values are valid NI numbers");
        }

        var distinct = sample.Distinct(StringComparer.OrdinalIgnoreCase).Count();
        if (distinct <= 12)
        {
            return new ColumnRole(column, "category", ColumnType.Category, $"only {distinct} distinct values");
        }

        var codes = Share(v => v.Count(char.IsDigit) >= 5 && !v.Contains(' ', StringComparison.Ordinal));
        if (codes >= 0.8 && distinct >= 0.9 * sample.Count)
        {
            return new ColumnRole(column, "identifier", ColumnType.Identifier, $"{codes:P0} of values are codes of 5+ digits, nearly all distinct");
        }

        if (alpha >= 0.6)
        {
            return new ColumnRole(column, "text", ColumnType.Text, $"{alpha:P0} of values are words");
        }

        return new ColumnRole(column, "ignored", null, "not recognised as person data");
    }
}
