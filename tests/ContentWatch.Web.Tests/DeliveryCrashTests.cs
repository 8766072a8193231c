using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;

namespace ContentWatch.Web.Tests;

/// <summary>A delivery whose retry was waiting in a process killed with SIGKILL is sent by the next process (its start-up sweep).</summary>
public sealed class DeliveryCrashTests : IAsyncLifetime
{
    private const string AdminKey = "cw_delivery_crash_admin_key_0123456789";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "contentwatch-delivery-crash", Guid.NewGuid().ToString("N"));
    private readonly string _secret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly ConcurrentQueue<(string Id, int Status, bool Verified)> _received = new();
    private WebApplication? _platform;
    private volatile bool _down = true;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _platform = builder.Build();
        _platform.MapPost("/hook", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var verified = true;
            try
            {
                new StandardWebhook(_secret).Verify(body, context.Request.Headers);
            }
            catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
            {
                verified = false;
            }

            var status = _down ? 503 : verified ? 204 : 401;
            _received.Enqueue((context.Request.Headers["webhook-id"].ToString(), status, verified));
            return Results.StatusCode(status);
        });
        await _platform.StartAsync();
    }

    [Fact]
    public async Task Kill9_LosesNoDelivery_TheNextProcessSendsIt()
    {
        var hook = _platform!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        var settings = new Dictionary<string, string>
        {
            ["Outbound__AllowPrivateNetworks"] = "true",
            ["Delivery__RetryBaseSeconds"] = "2",
            ["Classification__ReviewThreshold"] = "0.5",
            ["Export__Cron"] = "0 0 1 1 *",
        };

        string exportId;
        using (var first = await ServiceProcess.StartAsync(_dataDirectory, AdminKey, settings))
        {
            using var admin = new ApiClient(first.BaseAddress, AdminKey);
            using var put = await admin.Http.PutAsync("/api/platforms/crashbook/delivery",
                new StringContent(ApiClient.Json(new { url = hook, secret = _secret }), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            await FollowUpTests.ConfirmedReferralAsync(admin, "crashbook", "https://crashbook.example/p/" + Guid.NewGuid().ToString("N"));
            using var created = await admin.Http.PostAsync("/api/platforms/crashbook/exports", null);
            exportId = (await ApiClient.ReadJsonAsync(created))["id"]!.GetValue<string>();

            // the first attempt failed and is recorded; its retry waits in this process's memory when it dies
            await ApiClient.EventuallyAsync(() => admin.GetJsonAsync("/api/platforms/crashbook/deliveries"),
                d => d["items"]!.AsArray().Count == 1, TimeSpan.FromSeconds(60), "the first, failed attempt");
            first.Kill();
        }

        _down = false;
        using var second = await ServiceProcess.StartAsync(_dataDirectory, AdminKey, settings);
        using var client = new ApiClient(second.BaseAddress, AdminKey);
        var attempts = await ApiClient.EventuallyAsync(() => client.GetJsonAsync("/api/platforms/crashbook/deliveries"),
            d => d["items"]!.AsArray().Any(a => a!["status"]!.GetValue<string>() == "delivered"), TimeSpan.FromSeconds(60), "the restarted service to deliver");

        Assert.Equal(["delivered", "failed"], attempts["items"]!.AsArray().Select(a => a!["status"]!.GetValue<string>()));
        Assert.All(attempts["items"]!.AsArray(), a => Assert.Equal(exportId, a!["exportId"]!.GetValue<string>()));
        Assert.Equal([503, 204], _received.Select(r => r.Status));
        Assert.All(_received, r => Assert.True(r.Verified));
        Assert.Single(_received.Select(r => r.Id).Distinct());
    }

    public async Task DisposeAsync()
    {
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
