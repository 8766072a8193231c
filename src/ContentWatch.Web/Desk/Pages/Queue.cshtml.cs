using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Review;

namespace ContentWatch.Web.Desk.Pages;

public sealed class QueueModel(IDeskStore desk, TimeProvider time) : PageModel
{
    public QueueQuery Query { get; private set; } = QueueQuery.Empty;

    public List<FieldError> Errors { get; } = [];

    public QueuePage Result { get; private set; } = new([], 0);

    public int Pages => Math.Max(1, (Result.Total + QueueQuery.PageSize - 1) / QueueQuery.PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Query = QueueQuery.Parse(Request.Query, Errors);
        Result = await desk.GetQueuePageAsync(Query.ToFilter(time.GetUtcNow()), (Query.Page - 1) * QueueQuery.PageSize, QueueQuery.PageSize, cancellationToken);
    }
}
