using System.Threading.Channels;

namespace ScoreHub.Host.Core.Actions;

/// <summary>
/// Deliveries ready for an attempt, between those that record them (<see cref="TriggerMatcher"/>, a re-drive, the
/// start) and the one that attempts them (<see cref="ActionDelivery"/>). In memory only: every delivery in it is
/// already recorded as pending in the <see cref="Outbox"/>, which is what a restart resumes from.
/// </summary>
internal sealed class DeliveryQueue
{
    private readonly Channel<Delivery> _channel = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Delivery delivery) => _channel.Writer.TryWrite(delivery);

    public IAsyncEnumerable<Delivery> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);
}
