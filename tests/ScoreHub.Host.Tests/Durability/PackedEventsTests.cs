using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Tests.Durability;

/// <summary>
/// A contact's events are re-allocated together in time order (packed) when loaded or merged in bulk, and whenever
/// live events bring the count to a power of two; packed events carry the same content, owned by the contact.
/// </summary>
public sealed class PackedEventsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static LeadEvent Event(int n, string contactId = "c_1") => new()
    {
        Id = $"ev-{n}",
        Type = "web.page_viewed",
        OccurredAt = T0.AddMinutes(n),
        ContactId = contactId,
        Properties = EventProperties.FromItems(["url", $"https://x.example/{n}"]),
    };

    private static string Describe(LeadEvent e) =>
        $"{e.Id} {e.Type} {e.OccurredAt:O} {e.ContactId} {string.Join(",", e.Properties.Select(p => $"{p.Key}={p.Value}"))}";

    [Fact]
    public void Bulk_added_events_are_copies_in_time_order_with_the_same_content_owned_by_the_contact()
    {
        var contact = new ContactRecord("c_1");
        LeadEvent[] events = [Event(3, "c_old"), Event(1), Event(2, "c_old")];

        contact.AddEvents(events);

        Assert.Equal(
            ["ev-1 web.page_viewed 2026-03-01T09:01:00.0000000+00:00 c_1 url=https://x.example/1",
             "ev-2 web.page_viewed 2026-03-01T09:02:00.0000000+00:00 c_1 url=https://x.example/2",
             "ev-3 web.page_viewed 2026-03-01T09:03:00.0000000+00:00 c_1 url=https://x.example/3"],
            contact.Events.Select(Describe));
        Assert.All(contact.Events, e => Assert.DoesNotContain(e, events));
        Assert.All(contact.Events, e => Assert.Same(contact.Id, e.ContactId));
    }

    [Fact]
    public void Live_events_are_kept_as_they_came_until_the_count_reaches_a_power_of_two_then_all_are_packed()
    {
        var contact = new ContactRecord("c_1");
        var added = new List<LeadEvent>();
        for (var n = 1; n <= 9; n++)
        {
            var e = Event(10 - n); // newest first: each one goes to the front
            added.Add(e);
            contact.AddEvent(e);

            var packed = n is 4 or 8;
            Assert.Equal(packed, !contact.Events.Contains(e));
            Assert.Equal(added.OrderBy(x => x.OccurredAt).Select(Describe), contact.Events.Select(Describe));
        }

        // The ninth came after the last packing at eight: it is the live instance, the other eight are packed copies.
        Assert.Same(added[^1], contact.Events[0]);
        Assert.Equal(8, contact.Events.Count(e => !added.Contains(e)));
    }
}
