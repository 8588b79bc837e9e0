using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Hearth.Core.Programmes;

/// <summary>Autumn, spring or summer.</summary>
public enum TermName
{
    Autumn,
    Spring,
    Summer,
}

/// <summary>One school term. <see cref="AcademicYear"/> is the calendar year the autumn term starts in.</summary>
public readonly record struct SchoolTerm(int AcademicYear, TermName Name, DatePeriod Period)
{
    public override string ToString() =>
        $"{Name.ToString().ToLowerInvariant()} {AcademicYear.ToString(CultureInfo.InvariantCulture)}/{((AcademicYear + 1) % 100).ToString("00", CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The English school terms, from configuration (<c>Resources/Programmes/school-terms.yaml</c> by default):
/// month-day boundaries for every year plus exact dates for the years that list them.
/// </summary>
public sealed class SchoolTermCalendar
{
    private const int FirstYear = 1990;
    private const int LastYear = 2080;
    private readonly SchoolTerm[] _terms;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(DateOnly, int), SchoolTerm[]> _completed = new();

    private SchoolTermCalendar(SchoolTerm[] terms) => _terms = terms;

    /// <summary>The calendar shipped with Hearth.</summary>
    public static SchoolTermCalendar Default { get; } = Load(ReadResource("school-terms.yaml"), "school-terms.yaml");

    /// <summary>Every term, in date order.</summary>
    public IReadOnlyList<SchoolTerm> Terms => _terms;

    /// <summary>Loads a calendar from YAML text; errors name the file, line and reason.</summary>
    public static SchoolTermCalendar Load(string yaml, string fileName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new RulesFileException(fileName, (int)ex.Start.Line, ex.Message);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var defaults = new Dictionary<TermName, (int M1, int D1, int M2, int D2)>();
        var defaultNode = Child(root, "default", fileName) as YamlMappingNode
            ?? throw new RulesFileException(fileName, (int)root.Start.Line, "'default' must list autumn, spring and summer");
        foreach (var name in Enum.GetValues<TermName>())
        {
            var term = Child(defaultNode, name.ToString().ToLowerInvariant(), fileName) as YamlMappingNode
                ?? throw new RulesFileException(fileName, (int)defaultNode.Start.Line, $"default.{name.ToString().ToLowerInvariant()} is missing");
            defaults[name] = (MonthDay(term, "start", fileName).M, MonthDay(term, "start", fileName).D, MonthDay(term, "end", fileName).M, MonthDay(term, "end", fileName).D);
        }

        var overrides = new Dictionary<(int, TermName), DatePeriod>();
        if (root.Children.TryGetValue(new YamlScalarNode("years"), out var yearsNode) && yearsNode is YamlMappingNode years)
        {
            foreach (var (key, value) in years.Children)
            {
                if (!int.TryParse(((YamlScalarNode)key).Value, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
                {
                    throw new RulesFileException(fileName, (int)key.Start.Line, $"'{key}' is not an academic year (e.g. 2024)");
                }

                foreach (var (termKey, termValue) in ((YamlMappingNode)value).Children)
                {
                    if (!Enum.TryParse<TermName>(((YamlScalarNode)termKey).Value, ignoreCase: true, out var name))
                    {
                        throw new RulesFileException(fileName, (int)termKey.Start.Line, $"'{termKey}' is not autumn, spring or summer");
                    }

                    var t = (YamlMappingNode)termValue;
                    var start = FullDate(t, "start", fileName);
                    var end = FullDate(t, "end", fileName);
                    if (end < start)
                    {
                        throw new RulesFileException(fileName, (int)t.Start.Line, "a term cannot end before it starts");
                    }

                    overrides[(year, name)] = new DatePeriod(start, end);
                }
            }
        }

        var terms = new List<SchoolTerm>();
        for (var year = FirstYear; year <= LastYear; year++)
        {
            foreach (var name in Enum.GetValues<TermName>())
            {
                if (!overrides.TryGetValue((year, name), out var period))
                {
                    var (m1, d1, m2, d2) = defaults[name];
                    var calendarYear = name == TermName.Autumn ? year : year + 1;
                    period = new DatePeriod(new DateOnly(calendarYear, m1, d1), new DateOnly(calendarYear, m2, d2));
                }

                terms.Add(new SchoolTerm(year, name, period));
            }
        }

        for (var i = 1; i < terms.Count; i++)
        {
            if (terms[i].Period.Start <= terms[i - 1].Period.End)
            {
                throw new RulesFileException(fileName, 1, $"{terms[i]} overlaps {terms[i - 1]}");
            }
        }

        return new SchoolTermCalendar([.. terms]);
    }

    /// <summary>The term containing <paramref name="date"/>, or null in a holiday that belongs to no term.</summary>
    public SchoolTerm? TermOf(DateOnly date)
    {
        var i = IndexOfLastStartingOnOrBefore(date);
        return i >= 0 && _terms[i].Period.Contains(date) ? _terms[i] : null;
    }

    /// <summary>The <paramref name="count"/> most recent terms that ended on or before <paramref name="date"/>, oldest first.</summary>
    public IReadOnlyList<SchoolTerm> CompletedTermsEndingBy(DateOnly date, int count)
    {
        var i = IndexOfLastStartingOnOrBefore(date);
        if (i >= 0 && _terms[i].Period.End > date)
        {
            i--;
        }

        var first = Math.Max(0, i - count + 1);
        return i < 0 ? [] : _terms[first..(i + 1)];
    }

    /// <summary>As <see cref="CompletedTermsEndingBy"/>, shared and cached: callers must not change the array.</summary>
    internal SchoolTerm[] CompletedTermsCached(DateOnly date, int count) =>
        _completed.GetOrAdd((date, count), static (key, self) => [.. self.CompletedTermsEndingBy(key.Item1, key.Item2)], this);

    private int IndexOfLastStartingOnOrBefore(DateOnly date)
    {
        int lo = 0, hi = _terms.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_terms[mid].Period.Start <= date)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    internal static string ReadResource(string name)
    {
        var assembly = typeof(SchoolTermCalendar).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("Programmes." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static YamlNode Child(YamlMappingNode node, string key, string fileName) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? child
            : throw new RulesFileException(fileName, (int)node.Start.Line, $"'{key}' is missing");

    private static (int M, int D) MonthDay(YamlMappingNode node, string key, string fileName)
    {
        var scalar = (YamlScalarNode)Child(node, key, fileName);
        if (DateOnly.TryParseExact("2000-" + scalar.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return (d.Month, d.Day);
        }

        throw new RulesFileException(fileName, (int)scalar.Start.Line, $"'{scalar.Value}' is not a month-day like 09-01");
    }

    private static DateOnly FullDate(YamlMappingNode node, string key, string fileName)
    {
        var scalar = (YamlScalarNode)Child(node, key, fileName);
        return DateOnly.TryParseExact(scalar.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new RulesFileException(fileName, (int)scalar.Start.Line, $"'{scalar.Value}' is not a date like 2025-04-21");
    }
}

/// <summary>A rules or configuration file that cannot be used, with the file, line and reason.</summary>
public sealed class RulesFileException : Exception
{
    public RulesFileException(string fileName, int line, string reason)
        : base($"{fileName}:{line.ToString(CultureInfo.InvariantCulture)}: {reason}")
    {
        FileName = fileName;
        Line = line;
        Reason = reason;
    }

    public RulesFileException()
    {
        FileName = string.Empty;
        Reason = string.Empty;
    }

    public RulesFileException(string message)
        : base(message)
    {
        FileName = string.Empty;
        Reason = message;
    }

    public RulesFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = string.Empty;
        Reason = message;
    }

    public string FileName { get; }

    public int Line { get; }

    public string Reason { get; }
}
