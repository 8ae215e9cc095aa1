using System.Text;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Storage;

/// <summary>
/// The packed form of a block of events: one binary field per block document instead of one BSON sub-document per
/// event. LiteDB then writes (and reads back) one blob per commit, which is what makes group commit pay off.
/// Layout, per event: id, source, type, occurredAt ticks (UTC), contact id, property count, then name/value pairs.
/// </summary>
internal static class EventBlock
{
    private const byte FormatVersion = 1;

#pragma warning disable CA1001 // Only a MemoryStream is owned; it holds no unmanaged resource and dies with the commit.
    internal sealed class Writer
#pragma warning restore CA1001
    {
        private readonly MemoryStream _buffer = new();
        private readonly BinaryWriter _writer;

        public Writer()
        {
            _writer = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true);
            _writer.Write(FormatVersion);
        }

        public int Count { get; private set; }

        public void Add(LeadEvent e, string source)
        {
            _writer.Write(e.Id);
            _writer.Write(source);
            _writer.Write(e.Type);
            _writer.Write(e.OccurredAt.UtcTicks);
            _writer.Write(e.ContactId);
            _writer.Write(e.Properties.Count);
            foreach (var (name, value) in e.Properties)
            {
                _writer.Write(name);
                _writer.Write(value);
            }

            Count++;
        }

        public byte[] ToArray()
        {
            _writer.Flush();
            return _buffer.ToArray();
        }
    }

    public static IEnumerable<(LeadEvent Event, string Source)> Read(byte[] block)
    {
        using var reader = new BinaryReader(new MemoryStream(block), Encoding.UTF8);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Unknown event block format {version}.");
        }

        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var id = reader.ReadString();
            var source = reader.ReadString();
            var type = SharedNames.Share(reader.ReadString());
            var at = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var contact = reader.ReadString();
            var count = reader.ReadInt32();
            var items = count == 0 ? [] : new string[count * 2];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = reader.ReadString();
            }

            var properties = EventProperties.FromItems(items);

            yield return (new LeadEvent { Id = id, Type = type, OccurredAt = at, ContactId = contact, Properties = properties }, source);
        }
    }
}
