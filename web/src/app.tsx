/** The dashboard shell: navigation, the server's versions, and the view of the current route. */
import { Fragment } from 'preact';
import { api, ApiError, apiToken, setApiToken } from './api.js';
import { useAsync } from './hooks.js';
import { href, useRoute, type Route } from './router.js';
import { BuildVsRentView } from './views/BuildVsRent.js';
import { CapacityView } from './views/Capacity.js';
import { ClaimsView } from './views/Claims.js';
import { CompareView } from './views/Compare.js';
import { CostView } from './views/Cost.js';
import { EditorView } from './views/Editor.js';
import { FrontierView } from './views/Frontier.js';
import { LibraryView } from './views/Library.js';
import { RunsView } from './views/Runs.js';
import { RunView } from './views/Run.js';
import { SweepsView } from './views/Sweeps.js';

interface NavItem {
  id: string;
  label: string;
  group?: string;
}

const NAV: NavItem[] = [
  { id: 'library', label: 'Scenario library', group: 'Scenarios' },
  { id: 'editor', label: 'Editor' },
  { id: 'runs', label: 'Runs' },
  { id: 'frontier', label: 'Frontier', group: 'Analysis' },
  { id: 'cost', label: 'Cost & power' },
  { id: 'compare', label: 'Compare' },
  { id: 'claims', label: 'Claims' },
  { id: 'sweeps', label: 'Sweeps' },
  { id: 'capacity', label: 'Capacity timeline', group: 'Planning' },
  { id: 'build-vs-rent', label: 'Build vs rent' },
];

function View({ route }: { route: Route }) {
  const [view = 'library', arg] = route.parts;
  switch (view) {
    case 'editor':
      return <EditorView route={route} />;
    case 'runs':
      return arg ? <RunView id={arg} /> : <RunsView />;
    case 'frontier':
      return <FrontierView route={route} />;
    case 'cost':
      return <CostView route={route} />;
    case 'compare':
      return <CompareView route={route} />;
    case 'claims':
      return <ClaimsView id={arg} />;
    case 'sweeps':
      return <SweepsView id={arg} route={route} />;
    case 'capacity':
      return <CapacityView route={route} />;
    case 'build-vs-rent':
      return <BuildVsRentView route={route} />;
    default:
      return <LibraryView />;
  }
}

/** The server wants a bearer token (`serve --token`): ask for it, keep it in localStorage. */
function TokenForm() {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const input = (e.currentTarget as HTMLFormElement).elements.namedItem(
          'token',
        ) as HTMLInputElement;
        setApiToken(input.value.trim() || null);
        location.reload();
      }}
    >
      <label style={{ color: '#f87171' }}>
        {apiToken() ? 'the API token was refused' : 'this server needs an API token'}
      </label>
      <input
        name="token"
        type="password"
        placeholder="token"
        style={{ width: '100%', marginTop: '4px' }}
      />
    </form>
  );
}

export function App() {
  const route = useRoute();
  const health = useAsync(() => api.health(), []);
  const current = route.parts[0] ?? 'library';
  return (
    <div class="shell">
      <nav class="side">
        <div class="brand">
          <b>aifactory</b>
          <small>power, hardware and money in — tokens out</small>
        </div>
        <div class="nav">
          {NAV.map((n) => (
            <Fragment key={n.id}>
              {n.group && <div class="group">{n.group}</div>}
              <a href={href([n.id])} class={current === n.id ? 'active' : ''} data-nav={n.id}>
                {n.label}
              </a>
            </Fragment>
          ))}
        </div>
        <div class="side-foot" data-testid="health">
          {health.data ? (
            <>
              {health.data.toolVersion}
              <br />
              catalog {health.data.catalogVersion}
            </>
          ) : health.error instanceof ApiError && health.error.status === 401 ? (
            <TokenForm />
          ) : health.error ? (
            <span style={{ color: '#f87171' }}>API unreachable</span>
          ) : (
            '…'
          )}
        </div>
      </nav>
      <main class="main">
        <View route={route} />
      </main>
    </div>
  );
}
