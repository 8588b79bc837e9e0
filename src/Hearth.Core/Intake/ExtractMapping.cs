namespace Hearth.Core.Intake;

/// <summary>File formats an extract can arrive in.</summary>
public enum ExtractFormat
{
    Csv,
    Xlsx,
}

/// <summary>Text encodings Hearth reads.</summary>
public enum ExtractEncoding
{
    /// <summary>UTF-8, with or without a byte order mark; invalid bytes reject the file.</summary>
    Utf8,

    /// <summary>Windows-1252 (what Excel on Windows writes as "CSV").</summary>
    Windows1252,
}

/// <summary>What happens when a cell holds a value Hearth cannot accept.</summary>
public enum InvalidValueAction
{
    /// <summary>Keep the row, store nothing for this value, record a warning (the default).</summary>
    DropValue,

    /// <summary>Keep the row and the value as given (identifiers only), record a warning.</summary>
    KeepValue,

    /// <summary>Quarantine the whole row.</summary>
    Quarantine,
}

/// <summary>
/// How one agency's extract of one kind maps onto Hearth's fields: a mapping file, read by
/// <see cref="MappingLoader"/>. See docs/intake.md for the format.
/// </summary>
public sealed record ExtractMapping
{
    /// <summary>Agency code, e.g. "police".</summary>
    public required string Agency { get; init; }

    /// <summary>Agency name for people; defaults to the code.</summary>
    public string? AgencyName { get; init; }

    /// <summary>Extract kind, e.g. "asb-incidents".</summary>
    public required string Kind { get; init; }

    /// <summary>Hearth event type rows become, or "person".</summary>
    public required string EventType { get; init; }

    public ExtractFormat Format { get; init; } = ExtractFormat.Csv;

    public char Delimiter { get; init; } = ',';

    public ExtractEncoding Encoding { get; init; } = ExtractEncoding.Utf8;

    /// <summary>Line (CSV) or row (xlsx) holding the column names; 1 is the first. Lines above are skipped.</summary>
    public int HeaderRow { get; init; } = 1;

    /// <summary>xlsx only: the worksheet to read; the first sheet when null.</summary>
    public string? Sheet { get; init; }

    public required IReadOnlyList<ColumnMapping> Columns { get; init; }

    /// <summary>Fields given one value for every row (e.g. <c>contact_type: emergency_department</c>), already in Hearth's terms.</summary>
    public IReadOnlyList<ConstantValue> Constants { get; init; } = [];

    /// <summary>Where the mapping came from (file path or embedded resource name), for messages.</summary>
    public string Source { get; init; } = "mapping";
}

/// <summary>One column of the agency's file and the Hearth field it fills.</summary>
public sealed record ColumnMapping
{
    /// <summary>Column name as it appears in the file's header (matched ignoring case and surrounding spaces).</summary>
    public required string Source { get; init; }

    public required FieldDefinition Field { get; init; }

    /// <summary>Date formats tried in order (.NET custom format strings such as dd/MM/yyyy).</summary>
    public IReadOnlyList<string> DateFormats { get; init; } = [];

    /// <summary>Agency code → Hearth code, matched ignoring case and surrounding spaces; null when the file already uses Hearth's codes.</summary>
    public IReadOnlyDictionary<string, string>? Codes { get; init; }

    /// <summary>True when a blank cell quarantines the row.</summary>
    public bool Required { get; init; }

    public InvalidValueAction OnInvalid { get; init; } = InvalidValueAction.DropValue;

    /// <summary>Line of the mapping file that declares the column, for messages.</summary>
    public int Line { get; init; }
}

/// <summary>A field given the same value on every row.</summary>
public sealed record ConstantValue(FieldDefinition Field, string Value);
