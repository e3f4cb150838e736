import { ProfileQuestion } from './code-document';
import { checkProfileAnswers } from './profile-answers';

describe('checkProfileAnswers', () => {
  const questions: ProfileQuestion[] = [
    { key: 'for_children', label: 'For children?', type: 'boolean', help: null, options: [] },
    { key: 'model', label: 'Model?', type: 'single_choice', help: null, options: [{ value: 'own', label: 'Own' }, { value: 'cloud', label: 'Cloud' }] },
    { key: 'tools', label: 'Tools?', type: 'multiple_choice', help: null, options: [{ value: 'hash', label: 'Hash' }, { value: 'classifier', label: 'Classifier' }] },
  ];

  it('accepts well-typed answers', () => {
    expect(checkProfileAnswers(questions, { for_children: false, model: 'cloud', tools: ['classifier', 'hash'] })).toEqual({
      answers: { for_children: false, model: 'cloud', tools: ['classifier', 'hash'] },
      cleared: [],
      problems: {},
    });
    expect(checkProfileAnswers(questions, { tools: [] })).toEqual({ answers: { tools: [] }, cleared: [], problems: {} });
  });

  it('refuses a question no code asks', () => {
    expect(checkProfileAnswers(questions, { colour: 'red' })).toEqual({ answers: {}, cleared: [], problems: { 'profile.colour': ['no published code asks "colour"'] } });
  });

  it.each([
    ['for_children', 'yes', 'for_children is a yes-or-no question: answer true or false'],
    ['for_children', 1, 'for_children is a yes-or-no question: answer true or false'],
    ['for_children', ['true'], 'for_children is a yes-or-no question: answer true or false'],
    ['model', 'colocation', 'model takes one of: own, cloud'],
    ['model', true, 'model takes one of: own, cloud'],
    ['model', ['own'], 'model takes one of: own, cloud'],
    ['tools', 'hash', 'tools takes a list of: hash, classifier'],
    ['tools', ['hash', 'grooming'], 'tools takes a list of: hash, classifier'],
    ['tools', [true], 'tools takes a list of: hash, classifier'],
    ['tools', ['hash', 'hash'], 'tools lists an option twice'],
  ])('refuses %s = %j', (key, value, message) => {
    expect(checkProfileAnswers(questions, { [key]: value })).toEqual({ answers: {}, cleared: [], problems: { [`profile.${key}`]: [message] } });
  });

  it('clears an answer sent as null', () => {
    expect(checkProfileAnswers(questions, { model: null, for_children: true })).toEqual({ answers: { for_children: true }, cleared: ['model'], problems: {} });
  });

  it('clears an answer to a question no current code asks any more', () => {
    expect(checkProfileAnswers(questions, { retired_question: null })).toEqual({ answers: {}, cleared: ['retired_question'], problems: {} });
  });

  it('reports each problem and keeps the good answers', () => {
    const checked = checkProfileAnswers(questions, { for_children: 'no', model: 'own', tools: ['x'], other: true });
    expect(checked.answers).toEqual({ model: 'own' });
    expect(Object.keys(checked.problems).sort()).toEqual(['profile.for_children', 'profile.other', 'profile.tools']);
  });

  it('accepts an answer that fits any one of the codes asking the same key', () => {
    const asked: ProfileQuestion[] = [
      ...questions,
      { key: 'model', label: 'Model?', type: 'single_choice', help: null, options: [{ value: 'hybrid', label: 'Hybrid' }, { value: 'edge', label: 'Edge' }] },
    ];
    expect(checkProfileAnswers(asked, { model: 'edge' }).answers).toEqual({ model: 'edge' });
    expect(checkProfileAnswers(asked, { model: 'own' }).answers).toEqual({ model: 'own' });
    expect(checkProfileAnswers(asked, { model: 'mars' }).problems).toEqual({ 'profile.model': ['model takes one of: own, cloud'] });
  });
});
