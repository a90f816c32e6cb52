// The home page's charts (Chart.js, bundled with the back office: nothing is fetched from anywhere else).
import React from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { STAGE_LABELS } from './page-api.js';
import { compactMoney } from './Money.jsx';

// A bar chart with a line in it needs both controllers.
ChartJS.register(
  BarController,
  LineController,
  CategoryScale,
  LinearScale,
  BarElement,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);

// One colour per currency, then the count; dark enough on white for 3:1 as graphics.
const CURRENCY_COLOURS = ['#1f4e79', '#0f766e', '#7c3aed', '#b45309'];
const COUNT_COLOUR = '#64748b';

const currenciesOf = (groups) => [...new Set(groups.flatMap((g) => g.totals.map((t) => t.currency)))];

/** Weighted value per stage (one bar per currency: never added together) and the number of deals. */
export const PipelineChart = ({ groups }) => {
  const currencies = currenciesOf(groups);
  const data = {
    labels: groups.map((g) => STAGE_LABELS[g.key] || g.label),
    datasets: [
      ...currencies.map((currency, i) => ({
        type: 'bar',
        label: `Weighted (${currency})`,
        data: groups.map((g) => g.totals.find((t) => t.currency === currency)?.weighted ?? 0),
        backgroundColor: CURRENCY_COLOURS[i % CURRENCY_COLOURS.length],
        yAxisID: 'value',
        currency,
      })),
      {
        type: 'line',
        label: 'Deals',
        data: groups.map((g) => g.count),
        borderColor: COUNT_COLOUR,
        backgroundColor: COUNT_COLOUR,
        yAxisID: 'count',
      },
    ],
  };
  const options = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: { position: 'bottom' },
      tooltip: {
        callbacks: {
          label: (ctx) =>
            ctx.dataset.currency
              ? `${ctx.dataset.label}: ${compactMoney(ctx.parsed.y, ctx.dataset.currency)}`
              : `${ctx.dataset.label}: ${ctx.parsed.y}`,
        },
      },
    },
    scales: {
      value: {
        position: 'left',
        beginAtZero: true,
        ticks: { callback: (v) => compactMoney(v, currencies[0] || 'USD') },
      },
      count: {
        position: 'right',
        beginAtZero: true,
        grid: { drawOnChartArea: false },
        ticks: { precision: 0 },
      },
    },
  };
  return <Bar data={data} options={options} aria-label="Pipeline by stage" role="img" />;
};

/** Communications per day over the window, every day shown (zeros included). */
export const ActivityChart = ({ days }) => {
  const data = {
    labels: days.map((d) => d.date.slice(5)),
    datasets: [{ label: 'Communications', data: days.map((d) => d.count), backgroundColor: '#2f6496' }],
  };
  const options = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { legend: { display: false } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { maxTicksLimit: 10 } } },
  };
  return <Bar data={data} options={options} aria-label="Communications per day" role="img" />;
};
