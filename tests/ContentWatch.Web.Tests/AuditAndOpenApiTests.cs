using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Web.Tests;

/// <summary><c>contentwatch audit verify</c> against the service's own SQLite file, before and after a row is rewritten behind its back.</summary>
[Collection(InProcessHangfire.Name)]
public sealed class AuditVerifyTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Audit_verify_passes_an_intact_chain_and_names_a_row_tampered_with_in_SQLite()
    {
        using var admin = service.Admin();
        var referrals = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            referrals.Add(await FollowUpTests.ConfirmedReferralAsync(admin, "auditbook", "https://auditbook.example/p/" + Guid.NewGuid().ToString("N")));
        }

        var environment = new Dictionary<string, string> { ["Storage__DataDirectory"] = service.DataDirectory };
        var intact = await CliProcess.RunAsync(service.DataDirectory, ["audit", "verify"], environment);
        Assert.True(intact.Exit == 0, intact.Out + intact.Err);
        Assert.Contains("3 decisions (0 from before the chain began), ", intact.Out, StringComparison.Ordinal);
        Assert.Contains(" from before the chain began), 3 evidence snapshots; chains intact", intact.Out, StringComparison.Ordinal);

        // someone with the database file removes the append-only trigger and rewrites the middle decision's reason
        string tampered;
        var file = Path.Combine(service.DataDirectory, "contentwatch.db");
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TRIGGER tr_decisions_no_update;
                UPDATE decisions SET reason = 'Nothing wrong with it.' WHERE referral_id = $referral;
                SELECT id FROM decisions WHERE referral_id = $referral;
                """;
            command.Parameters.AddWithValue("$referral", referrals[1]);
            tampered = (string)(await command.ExecuteScalarAsync())!;
        }

        var broken = await CliProcess.RunAsync(service.DataDirectory, ["audit", "verify"], environment);
        Assert.Equal(1, broken.Exit);
        var faults = broken.Out.Split('\n').Where(l => l.StartsWith("BROKEN", StringComparison.Ordinal)).ToList();
        Assert.Equal($"BROKEN\tdecisions\t{tampered}\tits contents do not match its hash (the record was changed)", Assert.Single(faults));
        Assert.Contains("1 faults", broken.Out);
    }
}

/// <summary>The OpenAPI document describes every API route, needs no key, and names the Bearer scheme.</summary>
[Collection(InProcessHangfire.Name)]
public sealed class OpenApiTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task The_OpenAPI_document_lists_every_mapped_route_with_its_method()
    {
        using var anonymous = service.Client(null);
        using var response = await anonymous.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = document["paths"]!.AsObject();

        // every endpoint the app maps, but the desk's pages, the Hangfire dashboard and the document itself
        var routes = service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Path: "/" + (e.RoutePattern.RawText ?? "").Trim('/')))
            .Where(e => !e.Path.StartsWith("/desk", StringComparison.Ordinal) && !e.Path.StartsWith("/hangfire", StringComparison.Ordinal)
                && !e.Path.StartsWith("/openapi", StringComparison.Ordinal))
            .SelectMany(e => (e.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (e.Path, Method: m.ToLowerInvariant())))
            .Distinct()
            .ToList();

        Assert.True(routes.Count >= 20, $"only {routes.Count} routes found");
        var missing = routes.Where(r => paths[r.Path]?[r.Method] is null).Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.True(missing.Count == 0, "not in /openapi/v1.json: " + string.Join(", ", missing));
        Assert.Contains(routes, r => r == ("/api/platforms/{platform}/delivery", "put"));
        Assert.Contains(routes, r => r == ("/api/reports/transparency", "get"));

        Assert.Equal("http", document["components"]!["securitySchemes"]!["Bearer"]!["type"]!.GetValue<string>());
        Assert.NotNull(paths["/api/platforms/{platform}/delivery"]!["put"]!["security"]);
        Assert.Null(paths["/health"]!["get"]!["security"]);
        // every endpoint that reads a JSON body (JsonBody<T>) describes it
        var bodies = service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ContentWatch.Web.Apis.JsonBodyMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => ("/" + e.RoutePattern.RawText!.Trim('/'), m.ToLowerInvariant())))
            .ToList();
        Assert.True(bodies.Count >= 7, $"only {bodies.Count} endpoints with a body");
        var undescribed = bodies.Where(b => paths[b.Item1]![b.Item2]!["requestBody"]?["content"]?["application/json"] is null).ToList();
        Assert.True(undescribed.Count == 0, "no JSON request body in /openapi/v1.json: " + string.Join(", ", undescribed));
        Assert.EndsWith("/WebhookRequest", paths["/api/platforms/{platform}/delivery"]!["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());

        var schemas = document["components"]!["schemas"]!.AsObject();
        Assert.True(schemas.ContainsKey("WebhookRequest") && schemas.ContainsKey("DeliveryAttempt") && schemas.ContainsKey("TransparencyReport"),
            "schemas: " + string.Join(", ", schemas.Select(s => s.Key)));

        // an export is a notice batch (format=json) or statement-of-reasons drafts (format=sor): one of the two
        var export = paths["/api/platforms/{platform}/exports/{id}"]!["get"]!["responses"]!["200"]!["content"]!;
        Assert.Equal(
            ["#/components/schemas/ExportDocument", "#/components/schemas/StatementsDocument"],
            export["application/json"]!["schema"]!["oneOf"]!.AsArray().Select(s => s!["$ref"]!.GetValue<string>()));
        Assert.True(schemas.ContainsKey("ExportDocument") && schemas.ContainsKey("StatementsDocument"));
        Assert.NotNull(export["text/csv"]);
    }
}
