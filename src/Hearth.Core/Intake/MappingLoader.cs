using System.Globalization;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hearth.Core.Intake;

/// <summary>One thing wrong with a mapping file, with where it is.</summary>
public sealed record MappingError(string Source, int Line, int Column, string Message)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Source}:{Line}:{Column}: {Message}");
}

/// <summary>A mapping file was rejected; <see cref="Errors"/> lists every problem found.</summary>
public sealed class MappingException : Exception
{
    public MappingException(IReadOnlyList<MappingError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public MappingException()
        : this([])
    {
    }

    public MappingException(string message)
        : base(message)
    {
        Errors = [new MappingError("mapping", 0, 0, message)];
    }

    public MappingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new MappingError("mapping", 0, 0, message)];
    }

    public IReadOnlyList<MappingError> Errors { get; } = [];
}

/// <summary>
/// Reads extract mapping files (YAML). Every key is checked: an unknown key, field, type or code, a YAML
/// syntax error or a column mapped twice rejects the whole file with the line and column of each problem,
/// so a typo never silently drops a column. Shipped mappings live in Resources/Mappings.
/// </summary>
public static class MappingLoader
{
    private const string ResourcePrefix = "Hearth.Core.Resources.Mappings.";

    private static readonly string[] TopKeys =
        ["agency", "agency_name", "kind", "event_type", "description", "format", "delimiter", "encoding", "header_row", "sheet", "values", "columns"];

    private static readonly string[] ColumnKeys =
        ["source", "field", "type", "formats", "codes", "identifier", "required", "on_invalid", "description"];

    private static readonly string[] TypeNames = ["string", "int", "date", "money", "code", "identifier"];
    private static readonly string[] IdentifierNames = ["nhs", "nino", "upn", "uprn", "postcode"];
    private static readonly string[] InvalidActions = ["drop_value", "keep_value", "quarantine"];
    private static readonly string[] DefaultDateFormats = ["yyyy-MM-dd", "dd/MM/yyyy"];

    /// <summary>Reads a mapping file from disk.</summary>
    public static ExtractMapping LoadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Load(reader, path);
    }

    /// <summary>Reads a mapping from YAML text; <paramref name="source"/> names it in error messages.</summary>
    public static ExtractMapping Load(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new MappingException([new MappingError(source, (int)e.Start.Line, (int)e.Start.Column, "YAML syntax error: " + InnermostMessage(e))]);
        }

        var parser = new Parser(source);
        var mapping = parser.Read(stream);
        return parser.Errors.Count > 0 || mapping is null ? throw new MappingException(parser.Errors) : mapping;
    }

    /// <summary>The mappings shipped with Hearth (for the synthetic borough's extracts), by resource name.</summary>
    public static IReadOnlyList<ExtractMapping> Shipped()
    {
        var assembly = typeof(MappingLoader).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => LoadResource(assembly, n))
            .ToArray();
    }

    /// <summary>The shipped mapping for an agency's extract kind, or null.</summary>
    public static ExtractMapping? FindShipped(string agency, string kind) =>
        Shipped().FirstOrDefault(m => string.Equals(m.Agency, agency, StringComparison.OrdinalIgnoreCase)
            && string.Equals(m.Kind, kind, StringComparison.OrdinalIgnoreCase));

    private static ExtractMapping LoadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource {name} is missing");
        using var reader = new StreamReader(stream);
        return Load(reader, "Mappings/" + name[ResourcePrefix.Length..]);
    }

    private static string InnermostMessage(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    private sealed class Parser(string source)
    {
        public List<MappingError> Errors { get; } = [];

        /// <summary>Fields named by some column, even one rejected for another reason (avoids a second, misleading error).</summary>
        private readonly HashSet<string> _named = new(StringComparer.Ordinal);

        public ExtractMapping? Read(YamlStream stream)
        {
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                Error(stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode,
                    "the mapping must be a set of 'key: value' lines (agency, kind, event_type, columns, ...)");
                return null;
            }

            var keys = CheckKeys(root, TopKeys, "mapping");
            var agency = RequiredScalar(root, keys, "agency");
            var kind = RequiredScalar(root, keys, "kind");
            var eventType = RequiredScalar(root, keys, "event_type");
            IReadOnlyList<FieldDefinition>? fields = null;
            if (eventType is not null)
            {
                fields = FieldCatalog.FieldsFor(eventType);
                if (fields is null)
                {
                    Error(keys["event_type"], $"unknown event_type '{eventType}'{Suggest(eventType, FieldCatalog.EventFields.Keys)}; " +
                        $"known types: {string.Join(", ", FieldCatalog.EventFields.Keys.Order(StringComparer.Ordinal))}");
                }
            }

            if (agency is not null && !IsCode(agency))
            {
                Error(keys["agency"], "agency must be a short code of lower-case letters, digits, hyphens and underscores (e.g. 'police', 'social_care')");
            }

            var format = Enumerated(keys, "format", ["csv", "xlsx"]) switch
            {
                "xlsx" => ExtractFormat.Xlsx,
                _ => ExtractFormat.Csv,
            };
            var encoding = Enumerated(keys, "encoding", ["utf-8", "windows-1252"]) switch
            {
                "windows-1252" => ExtractEncoding.Windows1252,
                _ => ExtractEncoding.Utf8,
            };
            var delimiter = ',';
            if (keys.TryGetValue("delimiter", out var delimiterNode))
            {
                var text = Scalar(delimiterNode, "delimiter");
                if (text is "\\t" or "tab")
                {
                    text = "\t";
                }

                if (text is { Length: 1 } && text[0] is not ('"' or '\r' or '\n'))
                {
                    delimiter = text[0];
                }
                else if (text is not null)
                {
                    Error(delimiterNode, "delimiter must be one character, e.g. \",\" or \";\" or \"|\" (write a tab as \"\\t\")");
                }
            }

            var headerRow = 1;
            if (keys.TryGetValue("header_row", out var headerNode))
            {
                var text = Scalar(headerNode, "header_row");
                if (text is not null && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out headerRow) || headerRow < 1))
                {
                    Error(headerNode, "header_row must be a whole number from 1 (the first line)");
                    headerRow = 1;
                }
            }

            var columns = new List<ColumnMapping>();
            if (!keys.TryGetValue("columns", out var columnsNode))
            {
                Error(root, "the mapping has no 'columns' list");
            }
            else if (columnsNode is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            {
                Error(columnsNode, "'columns' must be a list of columns, each starting with '- source: <column name>'");
            }
            else if (fields is not null)
            {
                foreach (var node in sequence.Children)
                {
                    var column = ReadColumn(node, fields);
                    if (column is not null)
                    {
                        columns.Add(column);
                    }
                }
            }

            var constants = new List<ConstantValue>();
            if (keys.TryGetValue("values", out var valuesNode) && fields is not null)
            {
                if (valuesNode is not YamlMappingNode values)
                {
                    Error(valuesNode, "'values' must be 'field: value' lines giving a field the same value on every row");
                }
                else
                {
                    foreach (var (k, v) in values.Children)
                    {
                        var fieldName = Scalar(k, "values");
                        var value = Scalar(v, fieldName ?? "value");
                        var field = fieldName is null ? null : FindField(k, fieldName, fields);
                        if (field is null || value is null)
                        {
                            continue;
                        }

                        if (field.Personal || field.Name == "record_id")
                        {
                            Error(k, $"'{field.Name}' identifies a person and cannot be given one value for every row");
                        }
                        else if (field.Type == FieldType.Code && field.Codes is not null && !field.Codes.Contains(value, StringComparer.Ordinal))
                        {
                            Error(v, $"'{value}' is not a Hearth code for {field.Name}{Suggest(value, field.Codes)}; allowed: {string.Join(", ", field.Codes)}");
                        }
                        else if (field.Type is not (FieldType.Code or FieldType.Text))
                        {
                            Error(k, $"only code and text fields can be given a fixed value; '{field.Name}' is {TypeName(field.Type)}");
                        }
                        else
                        {
                            constants.Add(new ConstantValue(field, value));
                        }
                    }
                }
            }

            CheckCoverage(root, fields, columns, constants);
            if (Errors.Count > 0 || agency is null || kind is null || eventType is null)
            {
                return null;
            }

            return new ExtractMapping
            {
                Agency = agency,
                AgencyName = keys.TryGetValue("agency_name", out var nameNode) ? Scalar(nameNode, "agency_name") : null,
                Kind = kind,
                EventType = eventType,
                Format = format,
                Delimiter = delimiter,
                Encoding = encoding,
                HeaderRow = headerRow,
                Sheet = keys.TryGetValue("sheet", out var sheetNode) ? Scalar(sheetNode, "sheet") : null,
                Columns = columns,
                Constants = constants,
                Source = source,
            };
        }

        private void CheckCoverage(YamlNode root, IReadOnlyList<FieldDefinition>? fields, List<ColumnMapping> columns, List<ConstantValue> constants)
        {
            if (fields is null)
            {
                return;
            }

            var byField = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var column in columns)
            {
                if (byField.TryGetValue(column.Field.Name, out var firstLine)
                    && columns.First(c => c.Line == firstLine).Source.Trim().Equals(column.Source.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    Errors.Add(new MappingError(source, column.Line, 1,
                        $"column '{column.Source}' is mapped to '{column.Field.Name}' twice (first on line {firstLine})"));
                }
                else if (!byField.TryAdd(column.Field.Name, column.Line))
                {
                    Errors.Add(new MappingError(source, column.Line, 1,
                        $"field '{column.Field.Name}' is filled by two columns (first on line {byField[column.Field.Name]})"));
                }
            }

            if (byField.ContainsKey(FieldCatalog.FullName.Name) && (byField.ContainsKey("given_name") || byField.ContainsKey("family_name") || byField.ContainsKey("other_names")))
            {
                Error(root, "map either 'full_name' or the separate given_name, family_name and other_names, not both");
            }

            foreach (var constant in constants)
            {
                if (byField.ContainsKey(constant.Field.Name))
                {
                    Error(root, $"field '{constant.Field.Name}' is given both a column and a fixed value under 'values'");
                }
            }

            foreach (var field in fields.Where(f => f.Required))
            {
                if (!_named.Contains(field.Name) && constants.All(c => c.Field.Name != field.Name))
                {
                    Error(root, $"no column fills the required field '{field.Name}' ({field.Description})");
                }
            }
        }

        private ColumnMapping? ReadColumn(YamlNode node, IReadOnlyList<FieldDefinition> fields)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, "each column must be a set of keys: '- source: <column name>' then 'field:', 'type:' and so on");
                return null;
            }

            var keys = CheckKeys(map, ColumnKeys, "column");
            var sourceName = RequiredScalar(map, keys, "source");
            var fieldName = RequiredScalar(map, keys, "field");
            var typeName = RequiredScalar(map, keys, "type");
            var field = fieldName is null ? null : FindField(keys["field"], fieldName, fields);
            if (field is not null)
            {
                _named.Add(field.Name);
            }

            if (typeName is not null && !TypeNames.Contains(typeName, StringComparer.Ordinal))
            {
                Error(keys["type"], $"unknown type '{typeName}'{Suggest(typeName, TypeNames)}; types: {string.Join(", ", TypeNames)}");
                return null;
            }

            if (field is null || sourceName is null || typeName is null)
            {
                return null;
            }

            if (!string.Equals(typeName, TypeName(field.Type), StringComparison.Ordinal))
            {
                Error(keys["type"], $"field '{field.Name}' holds {Describe(field.Type)} (type: {TypeName(field.Type)}), not type '{typeName}'");
                return null;
            }

            if (keys.TryGetValue("identifier", out var identifierNode))
            {
                var identifier = Scalar(identifierNode, "identifier");
                if (field.Identifier is null)
                {
                    Error(identifierNode, $"'identifier' only applies to identifier fields, and '{field.Name}' is {TypeName(field.Type)}");
                }
                else if (identifier is not null && !string.Equals(identifier, field.Identifier.Value.ToString().ToLowerInvariant(), StringComparison.Ordinal))
                {
                    Error(identifierNode, IdentifierNames.Contains(identifier, StringComparer.Ordinal)
                        ? $"field '{field.Name}' carries identifier '{field.Identifier.Value.ToString().ToLowerInvariant()}', not '{identifier}'"
                        : $"unknown identifier '{identifier}'{Suggest(identifier, IdentifierNames)}; identifiers: {string.Join(", ", IdentifierNames)}");
                }
            }

            var formats = new List<string>();
            if (keys.TryGetValue("formats", out var formatsNode))
            {
                if (field.Type != FieldType.Date)
                {
                    Error(formatsNode, $"'formats' only applies to dates, and '{field.Name}' is {TypeName(field.Type)}");
                }
                else
                {
                    foreach (var f in formatsNode is YamlSequenceNode list ? list.Children : [formatsNode])
                    {
                        var text = Scalar(f, "formats");
                        if (text is not null && CheckDateFormat(f, text))
                        {
                            formats.Add(text);
                        }
                    }
                }
            }
            else if (field.Type == FieldType.Date)
            {
                formats.AddRange(DefaultDateFormats);
            }

            Dictionary<string, string>? codes = null;
            if (keys.TryGetValue("codes", out var codesNode))
            {
                if (field.Type != FieldType.Code)
                {
                    Error(codesNode, $"'codes' only applies to code fields, and '{field.Name}' is {TypeName(field.Type)}");
                }
                else if (codesNode is not YamlMappingNode codeMap)
                {
                    Error(codesNode, "'codes' must be lines of 'agency code: hearth code'");
                }
                else
                {
                    codes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var (k, v) in codeMap.Children)
                    {
                        var from = Scalar(k, "codes");
                        var to = Scalar(v, "codes");
                        if (from is null || to is null)
                        {
                            continue;
                        }

                        if (field.Codes is not null && !field.Codes.Contains(to, StringComparer.Ordinal))
                        {
                            Error(v, $"'{to}' is not a Hearth code for {field.Name}{Suggest(to, field.Codes)}; allowed: {string.Join(", ", field.Codes)}");
                        }
                        else if (!codes.TryAdd(from.Trim(), to))
                        {
                            Error(k, $"agency code '{from}' is listed twice");
                        }
                    }
                }
            }

            var required = field.Required;
            if (keys.TryGetValue("required", out var requiredNode))
            {
                var text = Scalar(requiredNode, "required");
                if (text is "true" or "yes")
                {
                    required = true;
                }
                else if (text is "false" or "no")
                {
                    if (field.Required)
                    {
                        Error(requiredNode, $"'{field.Name}' is always required: Hearth cannot store a row without it");
                    }
                }
                else if (text is not null)
                {
                    Error(requiredNode, "required must be true or false");
                }
            }

            var onInvalid = InvalidValueAction.DropValue;
            if (Enumerated(keys, "on_invalid", InvalidActions) is { } action)
            {
                onInvalid = action switch
                {
                    "keep_value" => InvalidValueAction.KeepValue,
                    "quarantine" => InvalidValueAction.Quarantine,
                    _ => InvalidValueAction.DropValue,
                };
                if (onInvalid == InvalidValueAction.KeepValue && field.Type != FieldType.Identifier)
                {
                    Error(keys["on_invalid"], $"keep_value only applies to identifiers; a bad {TypeName(field.Type)} cannot be stored as given");
                }
            }

            return new ColumnMapping
            {
                Source = sourceName,
                Field = field,
                DateFormats = formats,
                Codes = codes,
                Required = required,
                OnInvalid = onInvalid,
                Line = (int)map.Start.Line,
            };
        }

        private bool CheckDateFormat(YamlNode node, string format)
        {
            var probe = new DateTime(2021, 11, 28, 13, 45, 0, DateTimeKind.Unspecified);
            try
            {
                var text = probe.ToString(format, CultureInfo.InvariantCulture);
                if (DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var back) && back.Date == probe.Date)
                {
                    return true;
                }
            }
            catch (FormatException)
            {
            }

            Error(node, $"'{format}' is not a usable date format: it must contain day, month and year, e.g. dd/MM/yyyy, yyyy-MM-dd, d-MMM-yy, dd-MMM-yyyy HH:mm");
            return false;
        }

        private FieldDefinition? FindField(YamlNode node, string name, IReadOnlyList<FieldDefinition> fields)
        {
            var field = fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
            if (field is null)
            {
                Error(node, $"unknown field '{name}'{Suggest(name, fields.Select(f => f.Name))}; fields for this event type: " +
                    string.Join(", ", fields.Select(f => f.Name)));
            }

            return field;
        }

        private Dictionary<string, YamlNode> CheckKeys(YamlMappingNode map, string[] allowed, string what)
        {
            var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value;
                if (key is null)
                {
                    Error(keyNode, $"a {what} key must be a plain word");
                    continue;
                }

                if (!allowed.Contains(key, StringComparer.Ordinal))
                {
                    Error(keyNode, $"unknown {what} key '{key}'{Suggest(key, allowed)}; allowed keys: {string.Join(", ", allowed)}");
                    continue;
                }

                if (!result.TryAdd(key, value))
                {
                    Error(keyNode, $"key '{key}' appears twice");
                }
            }

            return result;
        }

        private string? RequiredScalar(YamlNode parent, Dictionary<string, YamlNode> keys, string key)
        {
            if (!keys.TryGetValue(key, out var node))
            {
                Error(parent, $"'{key}' is missing");
                return null;
            }

            return Scalar(node, key);
        }

        private string? Enumerated(Dictionary<string, YamlNode> keys, string key, string[] allowed)
        {
            if (!keys.TryGetValue(key, out var node))
            {
                return null;
            }

            var text = Scalar(node, key);
            if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
            {
                Error(node, $"{key} must be one of {string.Join(", ", allowed)}, not '{text}'{Suggest(text, allowed)}");
                return null;
            }

            return text;
        }

        private string? Scalar(YamlNode node, string key)
        {
            if (node is YamlScalarNode { Value: { } value } && !string.IsNullOrWhiteSpace(value))
            {
                return value;
            }

            Error(node, $"'{key}' needs a single value");
            return null;
        }

        private void Error(YamlNode? node, string message) =>
            Errors.Add(new MappingError(source, (int)(node?.Start.Line ?? 0), (int)(node?.Start.Column ?? 0), message));

        private static bool IsCode(string value) =>
            value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');
    }

    internal static string TypeName(FieldType type) => type switch
    {
        FieldType.Text => "string",
        FieldType.WholeNumber => "int",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string Describe(FieldType type) => type switch
    {
        FieldType.WholeNumber => "whole numbers",
        FieldType.Date => "dates",
        FieldType.Money => "amounts of money",
        FieldType.Code => "codes",
        FieldType.Identifier => "an identifier",
        _ => "text",
    };

    private static string Suggest(string value, IEnumerable<string> candidates)
    {
        var best = Closeness.Closest(value, candidates);
        return best is null ? string.Empty : $" (did you mean '{best}'?)";
    }
}
