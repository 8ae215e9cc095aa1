using System.Net;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Features.Events;
using ScoreHub.Host.Infrastructure;
using ScoreHub.Host.Tests.Support;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Tests.Events;

public sealed class DedupeTests : WorkspaceTest
{
    [Fact]
    public async Task The_same_id_twice_in_one_batch_is_stored_once_and_reported_duplicate()
    {
        var client = App.Client(Ws.SecretKey);
        var response = await client.PostEventsAsync(
            Api.Event("e-1", new { email = "a@example.com" }),
            Api.Event("e-1", new { email = "a@example.com" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.JsonAsync();
        Assert.Equal(["stored", "duplicate"], Api.Statuses(result));
        Assert.Equal(2, result.GetProperty("accepted").GetInt32());
        Assert.Equal(1, result.GetProperty("stored").GetInt32());
        Assert.Equal(1, result.GetProperty("duplicates").GetInt32());
        Assert.Equal(["e-1"], await EventIdsAsync(client, "email:a@example.com"));
    }

    [Fact]
    public async Task The_same_id_in_a_later_batch_is_reported_duplicate_and_not_stored_again()
    {
        var client = App.Client(Ws.IngestKey);
        var first = await (await client.PostEventsAsync(Api.Event("e-1", new { email = "a@example.com" }))).JsonAsync();
        var second = await (await client.PostEventsAsync(
            Api.Event("e-1", new { email = "a@example.com" }),
            Api.Event("e-2", new { email = "a@example.com" }))).JsonAsync();

        Assert.Equal(["stored"], Api.Statuses(first));
        Assert.Equal(["duplicate", "stored"], Api.Statuses(second));
        var contactId = first.GetProperty("results")[0].GetProperty("contactId").GetString()!;
        Assert.Equal(contactId, second.GetProperty("results")[0].GetProperty("contactId").GetString());
        Assert.Equal(["e-1", "e-2"], await EventIdsAsync(App.Client(Ws.SecretKey), contactId));
    }

    [Fact]
    public async Task A_duplicate_does_not_create_a_contact_or_link_identities()
    {
        var client = App.Client(Ws.SecretKey);
        await client.PostEventsAsync(Api.Event("e-1", new { email = "a@example.com" }));
        var retry = await (await client.PostEventsAsync(Api.Event("e-1", new { email = "b@example.com", anonymousId = "anon-9" }))).JsonAsync();

        Assert.Equal(["duplicate"], Api.Statuses(retry));
        var contacts = await client.GetJsonAsync("/api/v1/contacts");
        Assert.Equal(1, contacts.GetArrayLength());
        Assert.Equal("a@example.com", contacts[0].GetProperty("email").GetString());
        Assert.Equal(0, contacts[0].GetProperty("anonymousIds").GetArrayLength());
    }

    [Fact]
    public async Task The_same_id_from_a_different_source_is_a_different_event()
    {
        var client = App.Client(Ws.SecretKey);
        await client.PostEventsAsync(Api.Event("e-1", new { email = "a@example.com" }));
        var signal = new Signal
        {
            Id = "e-1",
            Type = "email.clicked",
            OccurredAt = Api.Yesterday.AddHours(1),
            Contact = new ContactRef { Email = "a@example.com" },
        };
        var mediator = App.Services.GetRequiredService<IMediator>();
        var fromWebhook = await mediator.Send(new IngestEvents(new Caller(KeyKind.Secret, Ws.Id), "mailer", [signal]));
        var again = await mediator.Send(new IngestEvents(new Caller(KeyKind.Secret, Ws.Id), "mailer", [signal]));

        Assert.Equal("stored", Assert.Single(fromWebhook.Results).Status);
        Assert.Equal("duplicate", Assert.Single(again.Results).Status);
        var events = await client.GetJsonAsync("/api/v1/contacts/email:a@example.com/events");
        Assert.Equal(
            [("e-1", "email.opened"), ("e-1", "email.clicked")],
            events.EnumerateArray().Select(e => (e.GetProperty("id").GetString()!, e.GetProperty("type").GetString()!)).ToArray());
    }

    [Fact]
    public async Task Dedupe_survives_a_restart()
    {
        App.KeepDataDirectory = true;
        await App.Client(Ws.SecretKey).PostEventsAsync(Api.Event("e-1", new { email = "a@example.com" }));
        App.Dispose();

        using var restarted = new ScoreHubApp(dataDirectory: App.DataDirectory);
        var client = restarted.Client(Ws.SecretKey);
        var retry = await (await client.PostEventsAsync(Api.Event("e-1", new { email = "a@example.com" }))).JsonAsync();

        Assert.Equal(["duplicate"], Api.Statuses(retry));
        Assert.Equal(["e-1"], await EventIdsAsync(client, "email:a@example.com"));
    }

    private static async Task<string[]> EventIdsAsync(HttpClient client, string contact)
    {
        var events = await client.GetJsonAsync($"/api/v1/contacts/{contact}/events");
        return [.. events.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }
}
