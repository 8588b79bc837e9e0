using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Core.Access;
using Hearth.Web.Infrastructure;

namespace Hearth.IntegrationTests.Web;

/// <summary>The interactive API reference at /api/reference, read from the app's own OpenAPI document.</summary>
public sealed class ApiReferencePageTests : IAsyncLifetime
{
    private readonly HearthWebFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Anonymous_IsRedirectedToSignIn_WhileTheApiStillAnswers401()
    {
        using var client = _factory.CreateBrowserClient();
        using var page = await client.GetAsync(new Uri("/api/reference", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/sign-in", page.Headers.Location!.OriginalString, StringComparison.Ordinal);

        using var api = await client.GetAsync(new Uri("/api/families", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using var missing = await client.GetAsync(new Uri("/api/nothing-here", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
    }

    [Fact]
    public async Task SignedIn_EveryOperationOfTheOpenApiDocumentIsListedWithATryItForm()
    {
        using var client = await _factory.SignInAsync(HearthRole.KeyWorker);
        var json = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);
        var html = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/api/reference", UriKind.Relative), Ct));

        using var document = JsonDocument.Parse(json);
        var expected = new List<(string Method, string Path)>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                expected.Add((op.Name.ToUpperInvariant(), path.Name));
            }
        }

        Assert.Contains(expected, e => e.Method == "GET" && e.Path.TrimEnd('/') == "/api/families");
        Assert.Contains(("PATCH", "/api/families/{reference}/actions/{actionId}"), expected);
        foreach (var (method, path) in expected)
        {
            Assert.Contains($"data-method=\"{method}\" data-path=\"{path}\"", html, StringComparison.Ordinal);
        }

        Assert.Equal(expected.Count, Regex.Count(html, "<form method=\"get\" action=\"[^\"]+\" class=\"hearth-api-form\""));
        // GET /api/families/{reference}: the path parameter is required and has its own field.
        Assert.Contains("data-in=\"path\" data-name=\"reference\" required", html, StringComparison.Ordinal);
        // The action update takes a JSON body; the form offers a skeleton of it.
        Assert.Contains("\"progressNote\": \"\"", html, StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"/js/api-reference.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
        Assert.DoesNotContain(" style=\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_IsServedFromTheApp()
    {
        using var client = _factory.CreateBrowserClient();
        using var response = await client.GetAsync(new Uri("/js/api-reference.js", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("credentials: 'same-origin'", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ParametersBodyAndResponses()
    {
        const string json = """
            {
              "openapi": "3.1.1",
              "info": { "title": "Hearth.Web | v1", "version": "1.0.0" },
              "paths": {
                "/api/things/{id}": {
                  "parameters": [ { "name": "id", "in": "path", "schema": { "type": "integer", "format": "int64" } } ],
                  "put": {
                    "tags": [ "Things" ],
                    "summary": "Change a thing.",
                    "operationId": "PutThing",
                    "parameters": [ { "name": "dryRun", "in": "query", "required": false, "schema": { "type": [ "null", "boolean" ] } } ],
                    "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ThingUpdate" } } } },
                    "responses": {
                      "200": { "description": "OK", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Thing" } } } } },
                      "409": { "description": "Conflict" }
                    }
                  }
                }
              },
              "components": { "schemas": {
                "ThingUpdate": { "type": "object", "properties": { "name": { "type": "string" }, "due": { "type": [ "null", "string" ], "format": "date" }, "version": { "type": "string", "format": "uuid" }, "count": { "type": "integer" } } }
              } }
            }
            """;

        var reference = ApiReference.Parse(json);

        Assert.Equal("Hearth.Web | v1", reference.Title);
        var op = Assert.Single(reference.Operations);
        Assert.Equal(("PUT", "/api/things/{id}", "PutThing", "Things"), (op.Method, op.Path, op.OperationId, op.Tag));
        Assert.Equal("op-putthing", op.Anchor);
        Assert.Equal([("id", "path", true, "integer (int64)"), ("dryRun", "query", false, "boolean")],
            op.Parameters.Select(p => (p.Name, p.In, p.Required, p.Type)));
        Assert.Equal("application/json", op.RequestContentType);
        Assert.Equal("ThingUpdate", op.RequestSchema);
        Assert.Equal("{\n  \"name\": \"\",\n  \"due\": \"2024-05-01\",\n  \"version\": \"00000000-0000-0000-0000-000000000000\",\n  \"count\": 0\n}", op.RequestExample);
        Assert.Equal([("200", "array of Thing"), ("409", (string?)null)], op.Responses.Select(r => (r.Status, r.Schema)));
    }
}
