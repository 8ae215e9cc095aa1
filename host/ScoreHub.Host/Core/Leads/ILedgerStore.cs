using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Leads;

/// <summary>
/// The durable side of the ledger, owned by the core: the in-memory <see cref="Ledger"/> is rebuilt from it at start
/// and every group commit of the <see cref="LedgerWriter"/> goes into it. Implemented by
/// <c>Storage/LiteLedgerStore</c> (the embedded default); a second implementation passes the same tests.
/// </summary>
/// <remarks>Called from one thread at a time for writes (the writer's); reads happen at start, before any write.</remarks>
internal interface ILedgerStore
{
    /// <summary>Every stored contact with the workspace it belongs to.</summary>
    IEnumerable<(string WorkspaceId, ContactRecord Contact)> ReadContacts();

    /// <summary>Every stored company (its property history; associations come from the contacts).</summary>
    IEnumerable<(string WorkspaceId, CompanyRecord Company)> ReadCompanies();

    /// <summary>Every stored event with the source it was deduplicated under, in commit order.</summary>
    IEnumerable<(string WorkspaceId, LeadEvent Event, string Source)> ReadEvents();

    /// <summary>
    /// Runs <paramref name="apply"/> and writes the unit of work it returns, all in one transaction on the calling
    /// thread: everything or nothing. If <paramref name="apply"/> or the write throws, nothing is written and the
    /// exception propagates. <paramref name="apply"/> may write other records of the same store (an erasure's).
    /// </summary>
    void Commit(Func<UnitOfWork> apply);

    /// <summary>Blocks until everything committed so far is on the device (one flush for all of it; ADR 0012).</summary>
    void WaitUntilDurable();
}
