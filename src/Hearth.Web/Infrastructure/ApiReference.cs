using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hearth.Web.Infrastructure;

/// <summary>A parameter of an API operation: its name, where it goes (path, query, header), whether it is required and its type.</summary>
public sealed record ApiParameter(string Name, string In, bool Required, string Type, string? Description);

/// <summary>A response an operation can give: status, description and content types with their schema.</summary>
public sealed record ApiResponse(string Status, string Description, IReadOnlyList<string> ContentTypes, string? Schema);

/// <summary>One operation of the API as the reference page shows it.</summary>
public sealed record ApiOperation(
    string Method,
    string Path,
    string? OperationId,
    string? Summary,
    string Tag,
    IReadOnlyList<ApiParameter> Parameters,
    string? RequestContentType,
    string? RequestSchema,
    string? RequestExample,
    IReadOnlyList<ApiResponse> Responses)
{
    /// <summary>An id for the page's anchors and form fields, from the operation id or the method and path.</summary>
    public string Anchor => "op-" + new string((OperationId ?? Method + Path).Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
}

/// <summary>The API reference: title, version and operations grouped by tag, read from the app's own OpenAPI document.</summary>
public sealed record ApiReferenceDocument(string Title, string Version, IReadOnlyList<ApiOperation> Operations);

/// <summary>
/// Reads the app's OpenAPI document (the one served at <c>/openapi/v1.json</c>) into what the reference page
/// shows. The document is generated in process by the same provider that serves it, written as JSON and parsed
/// here, so the page and the document cannot disagree.
/// </summary>
public static class ApiReference
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    /// <summary>Generates document <paramref name="documentName"/> and reads it.</summary>
    public static async Task<ApiReferenceDocument> LoadAsync(IServiceProvider services, string documentName = "v1", CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(documentName);
        var document = await provider.GetOpenApiDocumentAsync(ct);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(writer));
        return Parse(writer.ToString());
    }

    /// <summary>Reads an OpenAPI 3.x JSON document.</summary>
    public static ApiReferenceDocument Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var info = root.TryGetProperty("info", out var i) ? i : default;
        var title = Text(info, "title") ?? "API";
        var version = Text(info, "version") ?? "";
        var schemas = root.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var s) ? s : default;
        var operations = new List<ApiOperation>();
        if (root.TryGetProperty("paths", out var paths))
        {
            foreach (var path in paths.EnumerateObject())
            {
                var shared = path.Value.TryGetProperty("parameters", out var sp) ? ReadParameters(sp) : [];
                foreach (var method in Methods)
                {
                    if (!path.Value.TryGetProperty(method, out var op))
                    {
                        continue;
                    }

                    var parameters = shared.Concat(op.TryGetProperty("parameters", out var p) ? ReadParameters(p) : []).ToList();
                    string? requestType = null, requestSchema = null, requestExample = null;
                    if (op.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content))
                    {
                        foreach (var c in content.EnumerateObject())
                        {
                            requestType = c.Name;
                            if (c.Value.TryGetProperty("schema", out var schema))
                            {
                                requestSchema = TypeName(schema);
                                requestExample = ExampleValue(schema, schemas, 0, "");
                            }

                            break;
                        }
                    }

                    var responses = new List<ApiResponse>();
                    if (op.TryGetProperty("responses", out var rs))
                    {
                        foreach (var r in rs.EnumerateObject())
                        {
                            var types = new List<string>();
                            string? schema = null;
                            if (r.Value.TryGetProperty("content", out var rc))
                            {
                                foreach (var c in rc.EnumerateObject())
                                {
                                    types.Add(c.Name);
                                    if (schema is null && c.Value.TryGetProperty("schema", out var sch))
                                    {
                                        schema = TypeName(sch);
                                    }
                                }
                            }

                            responses.Add(new ApiResponse(r.Name, Text(r.Value, "description") ?? "", types, schema));
                        }
                    }

                    var tag = op.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array && tags.GetArrayLength() > 0
                        ? tags[0].GetString() ?? "API" : "API";
                    operations.Add(new ApiOperation(method.ToUpperInvariant(), path.Name, Text(op, "operationId"), Text(op, "summary") ?? Text(op, "description"),
                        tag, parameters, requestType, requestSchema, requestExample, responses));
                }
            }
        }

        return new ApiReferenceDocument(title, version, operations);
    }

    private static List<ApiParameter> ReadParameters(JsonElement array)
    {
        var result = new List<ApiParameter>();
        if (array.ValueKind != JsonValueKind.Array)
        {
            return result;
        }

        foreach (var p in array.EnumerateArray())
        {
            var name = Text(p, "name");
            if (name is null)
            {
                continue;
            }

            var location = Text(p, "in") ?? "query";
            var required = location == "path" || (p.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True);
            var type = p.TryGetProperty("schema", out var schema) ? TypeName(schema) : "string";
            result.Add(new ApiParameter(name, location, required, type, Text(p, "description")));
        }

        return result;
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A short name for a schema: its component name, "array of X", or its type and format.</summary>
    public static string TypeName(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "any";
        }

        if (Text(schema, "$ref") is { } reference)
        {
            return reference[(reference.LastIndexOf('/') + 1)..];
        }

        var type = Types(schema).FirstOrDefault(t => t != "null");
        if (type == "array" && schema.TryGetProperty("items", out var items))
        {
            return "array of " + TypeName(items);
        }

        if (type is null)
        {
            foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
            {
                if (schema.TryGetProperty(combinator, out var options) && options.ValueKind == JsonValueKind.Array)
                {
                    var names = options.EnumerateArray().Select(TypeName).Where(n => n != "null").Distinct(StringComparer.Ordinal).ToList();
                    if (names.Count > 0)
                    {
                        return string.Join(" or ", names);
                    }
                }
            }

            return "any";
        }

        return Text(schema, "format") is { } format ? $"{type} ({format})" : type;
    }

    private static IEnumerable<string> Types(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            yield break;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            yield return type.GetString()!;
        }
        else if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var t in type.EnumerateArray())
            {
                if (t.GetString() is { } s)
                {
                    yield return s;
                }
            }
        }
    }

    /// <summary>A JSON skeleton for a request body: every property of the schema with a placeholder of its type.</summary>
    private static string? ExampleValue(JsonElement schema, JsonElement schemas, int depth, string indent)
    {
        if (depth > 4 || schema.ValueKind != JsonValueKind.Object)
        {
            return "null";
        }

        if (Text(schema, "$ref") is { } reference)
        {
            var name = reference[(reference.LastIndexOf('/') + 1)..];
            return schemas.ValueKind == JsonValueKind.Object && schemas.TryGetProperty(name, out var target)
                ? ExampleValue(target, schemas, depth + 1, indent) : "{}";
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            return values[0].GetRawText();
        }

        var type = Types(schema).FirstOrDefault(t => t != "null");
        if (type is null)
        {
            foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
            {
                if (schema.TryGetProperty(combinator, out var options) && options.ValueKind == JsonValueKind.Array)
                {
                    foreach (var option in options.EnumerateArray())
                    {
                        if (!Types(option).All(t => t == "null") || option.TryGetProperty("$ref", out _))
                        {
                            return ExampleValue(option, schemas, depth + 1, indent);
                        }
                    }
                }
            }

            type = schema.TryGetProperty("properties", out _) ? "object" : null;
        }

        switch (type)
        {
            case "object":
                if (!schema.TryGetProperty("properties", out var properties))
                {
                    return "{}";
                }

                var inner = indent + "  ";
                var lines = properties.EnumerateObject()
                    .Select(p => inner + JsonSerializer.Serialize(p.Name) + ": " + ExampleValue(p.Value, schemas, depth + 1, inner)).ToList();
                return lines.Count == 0 ? "{}" : "{\n" + string.Join(",\n", lines) + "\n" + indent + "}";
            case "array":
                return "[]";
            case "integer":
            case "number":
                return "0";
            case "boolean":
                return "false";
            case "string":
                return Text(schema, "format") switch
                {
                    "uuid" => "\"00000000-0000-0000-0000-000000000000\"",
                    "date" => "\"2024-05-01\"",
                    "date-time" => "\"2024-05-01T09:00:00Z\"",
                    _ => "\"\"",
                };
            default:
                return "null";
        }
    }
}
