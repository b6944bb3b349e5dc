// Keep the plotly figures of one app as wide as the column they sit in.
//
// plotly's FigureWidget view draws its figure before JupyterLab attaches it to the page, so
// the figure starts at plotly's default width (700 px) whatever room it has, and nothing
// resizes it when its column is narrower (its right side, title and legend are then cut
// off) or wider. This invisible widget watches the figures of its app's plot column and asks
// plotly to fit each one to its column whenever the two widths differ.
function fit(column) {
  for (const graph of column.querySelectorAll(".js-plotly-plot")) {
    const layout = graph._fullLayout;
    if (!layout || graph.clientWidth === 0) continue;
    if (Math.abs(layout.width - graph.clientWidth) < 1) continue;
    if (graph._responsiveChartHandler) {
      graph._responsiveChartHandler(); // installed by plotly for config.responsive
    } else {
      window.dispatchEvent(new Event("resize"));
    }
  }
}

function watch(el) {
  const column = el.closest(".explorer-plot, .fit-plots") || el.parentElement;
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      fit(column);
    });
  };
  const sizes = new ResizeObserver(schedule);
  const observeGraphs = () => {
    for (const graph of column.querySelectorAll(".js-plotly-plot")) sizes.observe(graph);
    schedule();
  };
  const changes = new MutationObserver(observeGraphs);
  sizes.observe(column);
  changes.observe(column, { childList: true, subtree: true });
  observeGraphs();
  return () => {
    sizes.disconnect();
    changes.disconnect();
  };
}

export default {
  render({ el }) {
    let stop = null;
    let disposed = false;
    // The view is drawn before it is attached to the page: wait until it is.
    const start = () => {
      if (disposed) return;
      if (!el.isConnected) {
        requestAnimationFrame(start);
        return;
      }
      stop = watch(el);
      el.classList.add("fit-plots-watching"); // for the browser tests
    };
    start();
    return () => {
      disposed = true;
      if (stop) stop();
    };
  },
};
