using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hearth.Core.Data;
using Hearth.Core.Identifiers;

namespace Hearth.Core.Intake;

/// <summary>
/// The storage columns an import writes, in a fixed order: person fields (source_records) then every event
/// column (events). A mapped row is an array of values in this order.
/// </summary>
internal static class IntakeSlots
{
    public static IReadOnlyList<FieldDefinition> All { get; } = [.. FieldCatalog.PersonFields, .. FieldCatalog.AllEventColumns];

    public static int PersonCount { get; } = FieldCatalog.PersonFields.Count;

    private static readonly Dictionary<string, int> ByColumn =
        All.Select((f, i) => (f.Column, i)).ToDictionary(x => x.Column, x => x.i, StringComparer.Ordinal);

    /// <summary>The slot of a field, or -1 for <see cref="FieldCatalog.FullName"/>, which fills three slots.</summary>
    public static int IndexOf(FieldDefinition field) => field.Column.Length == 0 ? -1 : ByColumn[field.Column];

    public static int IndexOf(string column) => ByColumn[column];
}

/// <summary>A row that passed: typed values in <see cref="IntakeSlots"/> order, and its two hashes.</summary>
internal sealed class MappedRow
{
    public object?[] Values { get; } = new object?[IntakeSlots.All.Count];

    public int RowNumber { get; set; }

    /// <summary>Identifies the person details (agency record id and every person field).</summary>
    public byte[] DetailsHash { get; set; } = [];

    /// <summary>Identifies the whole row (kind, event type and every value) for duplicate detection.</summary>
    public byte[] Fingerprint { get; set; } = [];

    private static readonly int StartSlot = IntakeSlots.IndexOf("start_date");
    private static readonly int EndSlot = IntakeSlots.IndexOf("end_date");

    public DateOnly? StartDate => Values[StartSlot] as DateOnly?;

    public DateOnly? EndDate => Values[EndSlot] as DateOnly?;
}

/// <summary>A problem found while mapping a row.</summary>
internal readonly record struct RowIssue(string? Column, string? Field, string Code, IssueSeverity Severity, string Message);

/// <summary>
/// Applies a mapping to one row: checks each cell against its field's type, translates codes, validates
/// identifiers, and decides whether the row is stored (perhaps with warnings) or quarantined.
/// </summary>
internal sealed class RowMapper
{
    private readonly ExtractMapping _mapping;
    private readonly (ColumnMapping Column, int Index, int Slot)[] _columns;
    private readonly (int Slot, string Value)[] _constants;
    private readonly int _headerCount;
    private readonly bool _isXlsx;
    private readonly StringBuilder _canonical = new();
    private static readonly int PossibleSlot = IntakeSlots.IndexOf("sessions_possible");
    private static readonly int AuthorisedSlot = IntakeSlots.IndexOf("sessions_authorised_absence");
    private static readonly int UnauthorisedSlot = IntakeSlots.IndexOf("sessions_unauthorised_absence");
    private readonly int _startSlot = IntakeSlots.IndexOf("start_date");
    private readonly int _endSlot = IntakeSlots.IndexOf("end_date");
    private readonly int _givenSlot = IntakeSlots.IndexOf("given_name");
    private readonly int _otherSlot = IntakeSlots.IndexOf("other_names");
    private readonly int _familySlot = IntakeSlots.IndexOf("family_name");

    private static readonly int BirthSlot = IntakeSlots.IndexOf("date_of_birth");
    private readonly DateOnly _today;

    /// <param name="mapping">The extract's mapping.</param>
    /// <param name="header">The file's header.</param>
    /// <param name="today">The import's date: a date of birth after it is implausible.</param>
    public RowMapper(ExtractMapping mapping, IReadOnlyList<string> header, DateOnly today)
    {
        _today = today;
        _mapping = mapping;
        _headerCount = header.Count;
        _isXlsx = mapping.Format == ExtractFormat.Xlsx;
        _columns = mapping.Columns
            .Select(c => (c, HeaderIndex(header, c.Source), IntakeSlots.IndexOf(c.Field)))
            .ToArray();
        _constants = mapping.Constants.Select(c => (IntakeSlots.IndexOf(c.Field), c.Value)).ToArray();
    }

    /// <summary>Position of a mapped column in the header (ignoring case and surrounding spaces), or -1.</summary>
    public static int HeaderIndex(IReadOnlyList<string> header, string source)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], source.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Maps the current row into <paramref name="row"/>; issues go to <paramref name="issues"/>. Returns false
    /// when the row must be quarantined.
    /// </summary>
    public bool Map(RowSource source, MappedRow row, List<RowIssue> issues)
    {
        Array.Clear(row.Values);
        row.RowNumber = source.RowNumber;
        var ok = true;
        if (source.RowProblem is { } problem)
        {
            issues.Add(new RowIssue(null, null, "malformed_row", IssueSeverity.Error, problem));
            return false;
        }

        if (source.FieldCount < _headerCount)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"the row has {source.FieldCount} fields but the header has {_headerCount}");
            message += source.IsLast
                ? "; this is the last row, so the file seems to be cut off"
                : "; a cell or delimiter is missing";
            issues.Add(new RowIssue(null, null, source.IsLast ? "truncated_row" : "missing_fields", IssueSeverity.Error, message));
            return false;
        }

        if (source.FieldCount > _headerCount)
        {
            for (var i = _headerCount; i < source.FieldCount; i++)
            {
                if (!string.IsNullOrWhiteSpace(source[i]))
                {
                    issues.Add(new RowIssue(null, null, "extra_fields", IssueSeverity.Error, string.Create(CultureInfo.InvariantCulture,
                        $"the row has {source.FieldCount} fields but the header has {_headerCount}: a field with the delimiter in it may be missing its quotes")));
                    return false;
                }
            }
        }

        foreach (var (column, index, slot) in _columns)
        {
            var text = source[index].Trim();
            var field = column.Field;
            if (text.Length == 0)
            {
                if (column.Required)
                {
                    issues.Add(new RowIssue(column.Source, field.Name, "missing_value", IssueSeverity.Error,
                        $"column '{column.Source}' is blank, but {field.Name} is required"));
                    ok = false;
                }

                continue;
            }

            if (slot < 0)
            {
                var (given, other, family) = ValueParser.SplitName(text);
                row.Values[_givenSlot] = given;
                row.Values[_otherSlot] = other;
                row.Values[_familySlot] = family;
                continue;
            }

            if (TryConvert(column, text, out var value, out var reason, out var keep))
            {
                row.Values[slot] = value;
                continue;
            }

            var code = field.Type switch
            {
                FieldType.Identifier => "invalid_identifier",
                FieldType.Date => "invalid_date",
                FieldType.Code => "unknown_code",
                FieldType.Money => "invalid_money",
                _ => "invalid_number",
            };
            var described = field.Personal || field.Type == FieldType.Identifier
                ? $"column '{column.Source}' ({field.Name}) {reason}"
                : $"column '{column.Source}' ({field.Name}) value '{Shorten(text)}' {reason}";
            if (column.Required || column.OnInvalid == InvalidValueAction.Quarantine)
            {
                issues.Add(new RowIssue(column.Source, field.Name, code, IssueSeverity.Error, described));
                ok = false;
            }
            else if (keep is not null)
            {
                row.Values[slot] = keep;
                issues.Add(new RowIssue(column.Source, field.Name, code, IssueSeverity.Warning, described + "; kept as given"));
            }
            else
            {
                issues.Add(new RowIssue(column.Source, field.Name, code, IssueSeverity.Warning, described + "; the value was left out and the row kept"));
            }
        }

        foreach (var (slot, value) in _constants)
        {
            row.Values[slot] = value;
        }

        if (ok && row.Values[_startSlot] is DateOnly start && row.Values[_endSlot] is DateOnly end && end < start)
        {
            issues.Add(new RowIssue(null, "end_date", "end_before_start", IssueSeverity.Error,
                string.Create(CultureInfo.InvariantCulture, $"the end date {end:yyyy-MM-dd} is before the start date {start:yyyy-MM-dd}")));
            ok = false;
        }

        if (row.Values[BirthSlot] is DateOnly birth)
        {
            var eventDate = row.Values[_startSlot] as DateOnly?;
            if (birth > _today || (eventDate is { } day && birth > day))
            {
                var column = _columns.FirstOrDefault(c => c.Slot == BirthSlot).Column?.Source;
                issues.Add(new RowIssue(column, "date_of_birth", "implausible_date", IssueSeverity.Warning,
                    (birth > _today ? "the date of birth is in the future" : "the date of birth is after the event's date") +
                    "; the value was left out and the row kept"));
                row.Values[BirthSlot] = null;
            }
        }

        if (ok && _mapping.EventType == EventTypes.SchoolAttendance)
        {
            ok = CheckAttendance(row, issues);
        }

        if (ok)
        {
            Hash(row);
        }

        return ok;
    }

    private static bool CheckAttendance(MappedRow row, List<RowIssue> issues)
    {
        var possible = row.Values[PossibleSlot] as int? ?? 0;
        var authorised = row.Values[AuthorisedSlot] as int? ?? 0;
        var unauthorised = row.Values[UnauthorisedSlot] as int? ?? 0;
        if (possible < 0 || authorised < 0 || unauthorised < 0)
        {
            issues.Add(new RowIssue(null, "sessions_possible", "negative_sessions", IssueSeverity.Error, "session counts cannot be negative"));
            return false;
        }

        if (authorised + unauthorised > possible)
        {
            issues.Add(new RowIssue(null, "sessions_possible", "absence_exceeds_sessions", IssueSeverity.Error, string.Create(CultureInfo.InvariantCulture,
                $"absences ({authorised} authorised + {unauthorised} unauthorised) exceed the {possible} sessions possible")));
            return false;
        }

        return true;
    }

    private bool TryConvert(ColumnMapping column, string text, out object? value, out string? reason, out object? keep)
    {
        keep = null;
        var field = column.Field;
        switch (field.Type)
        {
            case FieldType.Text:
                value = text;
                reason = null;
                return true;
            case FieldType.WholeNumber:
                var intOk = ValueParser.TryParseInt(text, out var number, out reason);
                value = number;
                return intOk;
            case FieldType.Money:
                var moneyOk = ValueParser.TryParseMoney(text, out var pence, out reason);
                value = pence;
                return moneyOk;
            case FieldType.Date:
                var formats = _isXlsx ? [.. column.DateFormats, "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss"] : column.DateFormats;
                var dateOk = ValueParser.TryParseDate(text, formats, out var date, out reason);
                value = date;
                return dateOk;
            case FieldType.Code:
                return TryCode(column, text, out value, out reason);
            default:
                var check = field.Identifier switch
                {
                    IdentifierKind.Nhs => NhsNumber.Check(text),
                    IdentifierKind.Nino => NationalInsuranceNumber.Check(text),
                    IdentifierKind.Upn => UniquePupilNumber.Check(text),
                    IdentifierKind.Uprn => Uprn.Check(text),
                    _ => Postcode.Check(text),
                };
                value = check.Normalised;
                reason = check.IsValid ? null : "is not valid: " + check.Reason;
                if (!check.IsValid && column.OnInvalid == InvalidValueAction.KeepValue)
                {
                    keep = text;
                }

                return check.IsValid;
        }
    }

    private static bool TryCode(ColumnMapping column, string text, out object? value, out string? reason)
    {
        var field = column.Field;
        if (column.Codes is not null)
        {
            if (column.Codes.TryGetValue(text, out var mapped))
            {
                value = mapped;
                reason = null;
                return true;
            }

            value = null;
            reason = "is not one of the codes the mapping lists (" + string.Join(", ", column.Codes.Keys.Take(12)) +
                (column.Codes.Count > 12 ? ", ..." : string.Empty) + ")";
            return false;
        }

        var lower = text.ToLowerInvariant();
        if (field.Codes is null || field.Codes.Contains(lower, StringComparer.Ordinal))
        {
            value = field.Codes is null ? text : lower;
            reason = null;
            return true;
        }

        value = null;
        reason = "is not a Hearth code (" + string.Join(", ", field.Codes) + "); add a 'codes' list to the mapping to translate the agency's codes";
        return false;
    }

    /// <summary>
    /// The details hash covers the agency and the person fields; the fingerprint covers the details hash, the
    /// kind, the event type and the event fields, so the person's values are hashed once.
    /// </summary>
    private void Hash(MappedRow row)
    {
        var values = row.Values;
        _canonical.Clear();
        _canonical.Append(_mapping.Agency).Append('\u001e');
        for (var i = 0; i < IntakeSlots.PersonCount; i++)
        {
            Append(values[i]);
        }

        row.DetailsHash = Hash16(_canonical);
        _canonical.Clear();
        _canonical.Append(Convert.ToHexString(row.DetailsHash)).Append('\u001e').Append(_mapping.Kind).Append('\u001e').Append(_mapping.EventType).Append('\u001e');
        for (var i = IntakeSlots.PersonCount; i < values.Length; i++)
        {
            Append(values[i]);
        }

        row.Fingerprint = Hash16(_canonical);
    }

    private void Append(object? value)
    {
        switch (value)
        {
            case null:
                _canonical.Append('\u0000');
                break;
            case DateOnly d:
                _canonical.Append(d.DayNumber);
                break;
            case int i:
                _canonical.Append(i);
                break;
            case long l:
                _canonical.Append(l);
                break;
            default:
                _canonical.Append((string)value);
                break;
        }

        _canonical.Append('\u001f');
    }

    private static byte[] Hash16(StringBuilder text)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        var buffer = length <= 4096 ? stackalloc byte[length] : new byte[length];
        var written = 0;
        foreach (var chunk in text.GetChunks())
        {
            written += Encoding.UTF8.GetBytes(chunk.Span, buffer[written..]);
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(buffer[..written], digest);
        return digest[..16].ToArray();
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
